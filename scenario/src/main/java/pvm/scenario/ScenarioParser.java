package pvm.scenario;

import io.vavr.control.Either;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses scenario text (docs/scenario-language.md). Statements are one per line, so a bad line does not hide the
 * next: every line is parsed and every error reported, each as {@code file:line:column: expected
 * ..., found ...}.
 */
public final class ScenarioParser {

    private ScenarioParser() {
    }

    /**
     * Parses a whole scenario file.
     *
     * @param path where the text came from: names the scenario and, as written, its errors
     * @param text the file's contents
     * @return the scenario, or every error in line order
     */
    /** A scenario file as read: its text and the scenario it parses to. */
    public record ParsedFile(String text, Scenario scenario) {
    }

    /**
     * Reads and parses {@code file}: the scenario with its text, or the lines that say why not
     * (pvm's one "cannot read" line, or every parse error).
     */
    public static Either<List<String>, ParsedFile> read(Path file) {
        Either<String, String> read = TextFile.read(file);
        if (read.isLeft()) {
            return Either.left(List.of(read.getLeft()));
        }
        String text = read.get();
        return parse(file, text).<List<String>>mapLeft(errors -> errors.stream().map(ParseError::text).toList())
                .map(s -> new ParsedFile(text, s));
    }

    public static Either<List<ParseError>, Scenario> parse(Path path, String text) {
        String file = path.toString();
        List<ParseError> errors = new ArrayList<>();
        List<Line> header = new ArrayList<>();
        List<Line> body = new ArrayList<>();
        Optional<Requirement> requires = Optional.empty();
        Optional<String> target = Optional.empty();
        Optional<Line> boot = Optional.empty();
        int number = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            number++;
            Either<ParseError, Optional<Line>> parsed = parseLine(file, number, raw);
            if (parsed.isLeft()) {
                errors.add(parsed.getLeft());
                continue;
            }
            if (parsed.get().isEmpty()) {
                continue;
            }
            Line line = parsed.get().get();
            if (!(line.statement() instanceof Statement.HeaderStatement h)) {
                body.add(line);
                continue;
            }
            if (!body.isEmpty()) {
                errors.add(misplacedHeader(file, raw, number, body.getFirst().number()));
                continue;
            }
            Optional<Line> first = header.stream()
                    .filter(l -> l.statement().getClass() == h.getClass()).findFirst();
            if (first.isPresent()) {
                errors.add(new ParseError(file, number, firstColumn(raw), "expected each header statement once, found a second '"
                        + keyword(h) + "' (the first is on line " + first.get().number() + ")"));
                continue;
            }
            header.add(line);
            switch (h) {
                case Statement.Requires r -> requires = Optional.of(r.requirement());
                case Statement.Target t -> target = Optional.of(t.name());
                case Statement.Boot b -> boot = Optional.of(line);
            }
        }
        if (!errors.isEmpty()) {
            return Either.left(List.copyOf(errors));
        }
        return Either.right(new Scenario(Scenario.nameOf(path), path, new Header(requires, target, boot, header), body));
    }

    /**
     * Parses one line: the statement on it, or empty for a blank or comment line. Header placement
     * is the caller's to check (a {@link Session} does it as statements arrive).
     */
    public static Either<ParseError, Optional<Line>> parseLine(String file, int number, String text) {
        try {
            return Either.right(StatementParser.parse(file, number, text)
                    .map(s -> new Line(number, Lexer.content(text), s)));
        } catch (ParseFailure f) {
            return Either.left(f.error());
        }
    }

    /** The error for a header statement after the first other statement (on line {@code firstBody}). */
    static ParseError misplacedHeader(String file, String raw, int number, int firstBody) {
        String word = Lexer.content(raw).split("\\s+", 2)[0];
        return new ParseError(file, number, firstColumn(raw), "expected a statement other than a header (requires, "
                + "target and boot come before the first other statement, on line " + firstBody + "), found '" + word + "'");
    }

    /** The keyword a header statement is written with. */
    static String keyword(Statement.HeaderStatement h) {
        return switch (h) {
            case Statement.Requires r -> "requires";
            case Statement.Target t -> "target";
            case Statement.Boot b -> "boot";
        };
    }

    private static int firstColumn(String raw) {
        int i = 0;
        while (i < raw.length() && Character.isWhitespace(raw.charAt(i))) {
            i++;
        }
        return i + 1;
    }
}
