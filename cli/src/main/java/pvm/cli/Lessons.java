package pvm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The lessons of {@code examples/}, read from disk when the demo runs, so that a lesson edited or
 * added there shows at once, without a rebuild. {@code bin/pvm} says where the folder is (the
 * {@code pvm.examples} property); otherwise it is {@code examples/} under the current folder.
 */
final class Lessons {

    /** The property {@code bin/pvm} sets to the repository's {@code examples/}. */
    static final String FOLDER_PROPERTY = "pvm.examples";

    private Lessons() {
    }

    static Path folder() {
        return Path.of(System.getProperty(FOLDER_PROPERTY, "examples"));
    }

    /** Every lesson file, by name ({@code NN-what-it-teaches.pvm}). */
    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".pvm")).sorted().toList();
        }
    }

    /**
     * The lesson a user named: by its number ({@code 2} or {@code 02}), its file name with or
     * without {@code .pvm}, or its name without the number ({@code copy-on-write}).
     */
    static Optional<Path> named(String wanted) throws IOException {
        String w = wanted.endsWith(".pvm") ? wanted.substring(0, wanted.length() - 4) : wanted;
        for (Path p : all()) {
            String name = p.getFileName().toString().replaceFirst("\\.pvm$", "");
            int dash = name.indexOf('-');
            String number = dash < 0 ? "" : name.substring(0, dash);
            boolean byNumber = w.matches("\\d+") && number.matches("\\d+") && Integer.parseInt(w) == Integer.parseInt(number);
            if (byNumber || name.equals(w) || name.substring(dash + 1).equals(w)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
