package pvm.scenario;

/**
 * One token of a scenario line. Keywords are not tokens of their own: a word is a keyword or a
 * name depending on where it stands, so a process may be called {@code file} or {@code mark}.
 *
 * @param kind what sort of token
 * @param text the characters as written ({@code $a} with its dollar, {@code 64K} with its suffix)
 * @param column where it starts, 1-based
 */
record Token(Kind kind, String text, int column) {

    enum Kind {
        /** {@code [A-Za-z_][A-Za-z0-9_]*}: names, keywords, protections, flags, outcomes. */
        WORD,
        /** {@code $} followed by word characters (possibly none: the parser says what is missing). */
        VAR,
        /** A digit followed by word characters; the parser checks its form. */
        NUMBER,
        EQ,
        EQEQ,
        ARROW,
        PLUS,
        MINUS,
        COMMA,
        /** A character no token starts with. */
        BAD,
        /** The end of the line (or the start of a comment). */
        EOL
    }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equals(word);
    }

    /** How an error message names this token: quoted, or "end of line". */
    String describe() {
        return kind == Kind.EOL ? "end of line" : "'" + text + "'";
    }
}
