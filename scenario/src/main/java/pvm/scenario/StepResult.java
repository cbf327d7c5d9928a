package pvm.scenario;

import java.util.List;

/**
 * What running one statement gave.
 *
 * @param passed whether it passed (a failed expectation, an errno or SIGSEGV outside {@code expect},
 *               a scenario error such as an unknown process: not passed)
 * @param result the result in a few words ({@code 0x40000000}, {@code ok}, the reason it failed)
 * @param details further lines: a view's contents, a SIGSEGV report, the violations found
 * @param data a view's figures as JSON, for {@code pvm run --json}; null where there is none
 */
public record StepResult(boolean passed, String result, List<String> details, String data) {

    public StepResult {
        details = List.copyOf(details);
    }

    static StepResult pass(String result) {
        return new StepResult(true, result, List.of(), null);
    }

    static StepResult pass(String result, List<String> details) {
        return new StepResult(true, result, details, null);
    }

    static StepResult fail(String reason) {
        return new StepResult(false, reason, List.of(), null);
    }

    static StepResult fail(String reason, List<String> details) {
        return new StepResult(false, reason, details, null);
    }

    /** This result with a view's figures attached (when it passed). */
    StepResult withData(String json) {
        return passed ? new StepResult(true, result, details, json) : this;
    }

    /** This result of the statement on {@code line} as one JSON object ({@code pvm run --json}). */
    String json(String scenario, String target, Line line) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("target", target);
        m.put("line", line.number());
        m.put("statement", line.text());
        m.put("passed", passed);
        m.put("result", result);
        m.put("details", details);
        if (data != null) {
            m.put("data", new pvm.kernel.Json.Raw(data));
        }
        return pvm.kernel.Json.write(m);
    }

    /**
     * The lines a run prints for this result of the statement on {@code line}: the statement as
     * written with its result, then the details indented below it.
     */
    public List<String> lines(Line line) {
        return lines(Integer.toString(line.number()), line.text());
    }

    /** The result without the statement: {@code -> RESULT} (none when there is no result) and the details below it. */
    public List<String> resultLines() {
        List<String> out = new java.util.ArrayList<>(details.size() + 1);
        if (!passed) {
            out.add("-> FAILED: " + result);
        } else if (!result.isEmpty()) {
            out.add("-> " + result);
        }
        for (String d : details) {
            out.add("   " + d);
        }
        return out;
    }

    /** {@link #lines(Line)} for a statement known by a label rather than a line number. */
    List<String> lines(String label, String text) {
        StringBuilder first = new StringBuilder(String.format("%3s  %s", label, text));
        if (!passed) {
            first.append("  -> FAILED: ").append(result);
        } else if (!result.isEmpty()) {
            first.append("  -> ").append(result);
        }
        List<String> out = new java.util.ArrayList<>(details.size() + 1);
        out.add(first.toString());
        for (String d : details) {
            out.add("       " + d);
        }
        return out;
    }
}
