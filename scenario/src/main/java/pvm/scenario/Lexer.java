package pvm.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line into {@link Token}s. It never fails: a character no token starts with becomes a
 * {@link Token.Kind#BAD} token, so the parser can say what it expected at that column.
 */
final class Lexer {

    private Lexer() {
    }

    /** The tokens of {@code line}, always ending with an {@link Token.Kind#EOL} token. */
    static List<Token> tokens(String line) {
        List<Token> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        int end = 0; // just past the last token, where the end-of-line token is placed
        while (i < n) {
            char c = line.charAt(i);
            if (c == '#') {
                break;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                i++;
                continue;
            }
            int start = i;
            Token.Kind kind;
            if (isWordStart(c)) {
                i = skipWord(line, i + 1);
                kind = Token.Kind.WORD;
            } else if (c >= '0' && c <= '9') {
                i = skipWord(line, i + 1);
                kind = Token.Kind.NUMBER;
            } else if (c == '$') {
                i = skipWord(line, i + 1);
                // $P.stack: a property of process P, one dot and a word.
                if (i + 1 < n && line.charAt(i) == '.' && isWordStart(line.charAt(i + 1))) {
                    i = skipWord(line, i + 2);
                }
                kind = Token.Kind.VAR;
            } else if (c == '=') {
                boolean twice = i + 1 < n && line.charAt(i + 1) == '=';
                i += twice ? 2 : 1;
                kind = twice ? Token.Kind.EQEQ : Token.Kind.EQ;
            } else if (c == '-') {
                boolean arrow = i + 1 < n && line.charAt(i + 1) == '>';
                i += arrow ? 2 : 1;
                kind = arrow ? Token.Kind.ARROW : Token.Kind.MINUS;
            } else if (c == '+') {
                i++;
                kind = Token.Kind.PLUS;
            } else if (c == ',') {
                i++;
                kind = Token.Kind.COMMA;
            } else {
                i += Character.charCount(line.codePointAt(i));
                kind = Token.Kind.BAD;
            }
            out.add(new Token(kind, line.substring(start, i), start + 1));
            end = i;
        }
        out.add(new Token(Token.Kind.EOL, "", end + 1));
        return out;
    }

    /** The statement as written: the line without its comment and surrounding blanks. */
    static String content(String line) {
        int hash = line.indexOf('#');
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }

    private static int skipWord(String line, int i) {
        while (i < line.length() && isWordPart(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
