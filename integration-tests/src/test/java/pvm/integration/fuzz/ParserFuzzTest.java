package pvm.integration.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pvm.scenario.ParseError;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Session;

/**
 * The scenario parser on any text: it answers with the scenario or with parse errors, each
 * {@code file:line:column: expected ...}, and never with another exception. The
 * {@code @FuzzTest} replays the inputs under {@code ParserFuzzTestInputs/} in a build (the
 * examples among them) and is fuzzed by {@code bin/pvm fuzz}; the seeded test mutates the
 * examples in every build.
 */
class ParserFuzzTest {

    private static final Path FILE = Path.of("fuzz.pvm");
    private static final Pattern ERROR = Pattern.compile("fuzz\\.pvm:\\d+:\\d+: expected .*", Pattern.DOTALL);
    private static final int SEEDED_MUTANTS = 20_000;

    @FuzzTest(maxDuration = "10m")
    void parser(byte[] input) {
        parse(new String(input, StandardCharsets.UTF_8));
    }

    /** Examples with random edits: characters dropped, repeated or replaced, words of the language put in. */
    @Test
    void mutatedExamples() throws IOException {
        long seed = Long.getLong("pvm.seed", 0x5eedL);
        System.out.printf("parser mutants: pvm.seed=%d, %d mutants%n", seed, SEEDED_MUTANTS);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> examples = examples();
        List<String> words = new ArrayList<>(Session.words());
        words.addAll(List.of("$", "$a", "+", "-", "0x", "P", "K", "G", "->", "==", "#", ",", "\n", "\t", " ", "\r", "\uFEFF", "é"));
        for (int i = 0; i < SEEDED_MUTANTS; i++) {
            StringBuilder text = new StringBuilder(examples.get(random.nextInt(examples.size())));
            for (int edits = 1 + random.nextInt(8); edits > 0 && !text.isEmpty(); edits--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(4)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, words.get(random.nextInt(words.size())));
                    case 2 -> text.setCharAt(at, (char) random.nextInt(0x80));
                    default -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(40))));
                }
            }
            String mutant = text.toString();
            try {
                parse(mutant);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("pvm.seed=" + seed + ", mutant " + i + " threw " + e + " on:\n" + mutant, e);
            }
        }
    }

    private static void parse(String text) {
        var parsed = ScenarioParser.parse(FILE, text);
        if (parsed.isLeft()) {
            for (ParseError e : parsed.getLeft()) {
                assertTrue(ERROR.matcher(e.text()).matches(), () -> "not a parse error of the documented form: " + e.text());
            }
        }
    }

    private static List<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            List<String> texts = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".pvm")).sorted().toList()) {
                texts.add(Files.readString(f));
            }
            return texts;
        }
    }
}
