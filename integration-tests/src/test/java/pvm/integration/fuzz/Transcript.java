package pvm.integration.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link StatementDriver} did, as a scenario: every statement with the outcome it had (or,
 * for the statement that broke a property, the outcome the reference model asked for). Run with
 * {@code bin/pvm run --arch TARGET FILE}, it replays the run and fails where the driver did.
 */
final class Transcript {

    private final List<String> lines = new ArrayList<>();

    void add(String line) {
        lines.add(line);
    }

    void add(String format, Object... args) {
        lines.add(String.format(format, args));
    }

    int size() {
        return lines.size();
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    /**
     * Writes the transcript into {@code dir} as {@code NAME.pvm} unless a file of that name is
     * there already (the first, usually shortest, reproducer of a finding is kept); its path.
     */
    Path save(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".pvm");
            if (!Files.exists(file)) {
                Files.writeString(file, text());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
