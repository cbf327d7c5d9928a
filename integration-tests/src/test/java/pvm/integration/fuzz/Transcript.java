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
     * Writes the transcript into {@code dir} as {@code NAME-N.pvm}, the first N from 1 to
     * {@code keep} not taken yet (a campaign hits one defect many times; the first few reproducers
     * of each kind of finding are enough); its path, or the last one's when all are taken.
     */
    Path save(Path dir, String name, int keep) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + "-" + keep + ".pvm");
            for (int n = 1; n <= keep; n++) {
                Path candidate = dir.resolve(name + "-" + n + ".pvm");
                if (!Files.exists(candidate)) {
                    Files.writeString(candidate, text());
                    return candidate;
                }
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
