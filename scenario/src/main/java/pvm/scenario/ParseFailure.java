package pvm.scenario;

/** Carries a {@link ParseError} out of the recursive descent; never escapes {@link ScenarioParser}. */
final class ParseFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ParseError error;

    ParseFailure(ParseError error) {
        super(error.text(), null, false, false);
        this.error = error;
    }

    ParseError error() {
        return error;
    }
}
