package pvm.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;

/**
 * Reports the integration suite per target. Every test that runs on a target (a scenario in that
 * target's container, a contract test with that target as its argument) is counted for it; at
 * the end one line per target goes to the build output, {@code target NAME: N passed, N failed,
 * N skipped}, and one JUnit XML report per target is written to {@code pvm.reports}
 * ({@code target/surefire-reports-per-target/TEST-target-NAME.xml}).
 *
 * <p>Registered with {@link java.util.ServiceLoader} from this module's test resources, so the
 * JUnit Platform that Surefire starts picks it up by itself.
 */
public final class PerTargetReport implements TestExecutionListener {

    private record Outcome(String test, String status, String message) {
    }

    private final Set<String> targets = Architectures.discover().stream().map(Architecture::name).collect(Collectors.toSet());
    private final Map<String, List<Outcome>> byTarget = new LinkedHashMap<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            record(test, "skipped", reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest()) {
            return;
        }
        switch (result.getStatus()) {
            case SUCCESSFUL -> record(test, "passed", "");
            case ABORTED -> record(test, "skipped", result.getThrowable().map(Throwable::getMessage).orElse(""));
            case FAILED -> record(test, "failed", result.getThrowable().map(Throwable::toString).orElse(""));
        }
    }

    private void record(TestIdentifier test, String status, String message) {
        targetOf(test).ifPresent(target -> byTarget.computeIfAbsent(target, t -> new ArrayList<>())
                .add(new Outcome(path(test), status, message == null ? "" : message)));
    }

    /** The target a test runs on: its own name or the name of a container above it. */
    private Optional<String> targetOf(TestIdentifier test) {
        for (Optional<TestIdentifier> t = Optional.of(test); t.isPresent(); t = plan.getParent(t.get())) {
            String name = t.get().getDisplayName();
            if (targets.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private String path(TestIdentifier test) {
        List<String> names = new ArrayList<>();
        for (Optional<TestIdentifier> t = Optional.of(test); t.isPresent(); t = plan.getParent(t.get())) {
            if (t.get().getParentId().isPresent()) {
                names.addFirst(t.get().getDisplayName());
            }
        }
        return String.join(" / ", names);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String dir = System.getProperty("pvm.reports");
        for (var entry : byTarget.entrySet()) {
            List<Outcome> outcomes = entry.getValue();
            long passed = outcomes.stream().filter(o -> o.status.equals("passed")).count();
            long failed = outcomes.stream().filter(o -> o.status.equals("failed")).count();
            long skipped = outcomes.stream().filter(o -> o.status.equals("skipped")).count();
            System.out.printf("target %s: %d passed, %d failed, %d skipped%n", entry.getKey(), passed, failed, skipped);
            if (dir != null && !dir.isBlank()) {
                write(Path.of(dir), entry.getKey(), outcomes, failed, skipped);
            }
        }
    }

    private static void write(Path dir, String target, List<Outcome> outcomes, long failed, long skipped) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format("<testsuite name=\"target.%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\">%n",
                target, outcomes.size(), failed, skipped));
        for (Outcome o : outcomes) {
            xml.append(String.format("  <testcase classname=\"target.%s\" name=\"%s\">", target, escape(o.test)));
            switch (o.status) {
                case "failed" -> xml.append("<failure message=\"").append(escape(o.message)).append("\"/>");
                case "skipped" -> xml.append("<skipped message=\"").append(escape(o.message)).append("\"/>");
                default -> { }
            }
            xml.append("</testcase>\n");
        }
        xml.append("</testsuite>\n");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("TEST-target-" + target + ".xml"), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
