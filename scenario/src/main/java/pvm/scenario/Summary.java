package pvm.scenario;

import java.util.Optional;

/**
 * How one scenario went on one target. Statements are counted: each one run passes or fails; one
 * not run (after a failure that stopped the scenario, or because the target was skipped) is
 * skipped. Header statements are not counted, except a {@code boot} that fails, which counts as
 * a failed statement.
 *
 * @param skipReason why the whole scenario was skipped on this target, if it was
 */
public record Summary(String scenario, String target, int passed, int failed, int skipped, Optional<String> skipReason) {

    /** {@code scenario NAME on TARGET: N passed, N failed, N skipped}. */
    public String line() {
        return String.format("scenario %s on %s: %d passed, %d failed, %d skipped", scenario, target, passed, failed, skipped);
    }

    /** {@link #line()} as one JSON object ({@code pvm run --json}). */
    public String json() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("target", target);
        m.put("passed", passed);
        m.put("failed", failed);
        m.put("skipped", skipped);
        m.put("skipReason", skipReason.orElse(null));
        return pvm.kernel.Json.write(m);
    }

    /** The total line of a run: {@code N passed, N failed}. */
    public static String totalLine(int passed, int failed) {
        return passed + " passed, " + failed + " failed";
    }
}
