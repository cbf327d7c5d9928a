package pvm.scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed scenario file.
 *
 * @param name the file name without {@code .pvm}
 * @param path where it was read from
 * @param header its header statements
 * @param statements every other statement, in order, with its line
 */
public record Scenario(String name, Path path, Header header, List<Line> statements) {

    /**
     * The bit the interpreter adds to the {@code flags} it passes the kernel's {@code mmap} when a
     * scenario wrote {@code shared}. Phoenix's {@code MAP_SHARED} is 0 (as is {@code MAP_PRIVATE}), so
     * the flags alone cannot say it; this pvm-only bit lies above every {@code MapFlags} bit (which
     * fit in Phoenix's 8-bit {@code vm_flags_t}) and is honoured by the kernel.
     */
    public static final int MAP_SHARED_BIT = 0x100;

    public Scenario {
        statements = List.copyOf(statements);
    }

    /** The scenario name a file gives: its file name without {@code .pvm}. */
    public static String nameOf(Path path) {
        Path file = path.getFileName();
        String name = file == null ? path.toString() : file.toString();
        return name.endsWith(".pvm") ? name.substring(0, name.length() - 4) : name;
    }
}
