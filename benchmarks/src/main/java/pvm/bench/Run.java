package pvm.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks and prints one line per figure, {@code RESULT NAME VALUE UNIT}, which
 * {@code benchmarks/run} turns into its {@code NAME VALUE UNIT} lines. Every benchmark runs in two
 * forks, so a figure is the mean over two JVMs; {@code --quick} keeps the whole run of
 * {@code benchmarks/run} under three minutes, the full mode measures five times as long.
 */
public final class Run {

    /** Benchmarks that move {@link BulkBench#BYTES} per operation: reported as GB/s. */
    private static final List<String> BANDWIDTH = List.of("bulkFillResident", "bulkCheckResident", "bulkFillFirstTouch", "rawFill");

    /** Parameterised figures under the names the issues give them. */
    private static final Map<String, String> RENAMED = Map.of(
            "forkManyEntries10000", "forkManyEntries",
            "exitResident1024", "exit1G",
            "exitResident102", "exit102M");

    /** The single-shot benchmark (its own run, see {@link #main}). */
    private static final String SINGLE_SHOT_NAME = "pvm.bench.ScaleBench.exitResident";
    private static final String SINGLE_SHOT = "pvm\\.bench\\.ScaleBench\\.exitResident";

    private Run() {
    }

    /** What every run shares: two forks, the JVM flags bin/pvm uses, failures fatal. */
    private static ChainedOptionsBuilder options() {
        return new OptionsBuilder()
                .forks(2)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Dguice_bytecode_gen_option=DISABLED",
                        "--sun-misc-unsafe-memory-access=allow", "-Xmx2g")
                .shouldFailOnError(true);
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = List.of(args).contains("--quick");
        List<String> patterns = new ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                patterns.add(a);
            }
        }
        // The steady-state benchmarks, then the single-shot one in a run of its own: each shot
        // rebuilds a process with up to 1 GiB resident, so it gets fewer rounds.
        ChainedOptionsBuilder steady = options()
                // A fork+exit reaches its compiled speed after a second or so of warm-up: shorter
                // warm-ups made figures of the quick mode swing by several times.
                .warmupIterations(3)
                .warmupTime(quick ? TimeValue.milliseconds(400) : TimeValue.seconds(1))
                .measurementIterations(quick ? 4 : 10)
                .measurementTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1))
                .exclude(SINGLE_SHOT);
        (patterns.isEmpty() ? List.of("pvm\\.bench\\..*") : patterns).forEach(steady::include);
        List<RunResult> results = new ArrayList<>();
        try {
            results.addAll(run(steady));
        } catch (NoBenchmarksException e) {
            // The patterns named the single-shot benchmark only.
        }
        if (patterns.isEmpty() || patterns.stream().anyMatch(p -> Pattern.compile(p).matcher(SINGLE_SHOT_NAME).find())) {
            results.addAll(run(options().include(SINGLE_SHOT).warmupIterations(1).measurementIterations(quick ? 2 : 10)));
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            // A parameterised benchmark gets its parameter in its name: mmapScaling100000.
            for (String key : r.getParams().getParamsKeys()) {
                name += r.getParams().getParam(key);
            }
            name = RENAMED.getOrDefault(name, name);
            var score = r.getPrimaryResult();
            scores.put(name, score.getScore());
            if (BANDWIDTH.contains(name)) {
                // ms per 256 MiB to GB/s (10^9 bytes), the error scaled alike.
                double gbs = BulkBench.BYTES / (score.getScore() * 1e6);
                System.out.printf("RESULT %s %.2f GB/s ±%.2f%n", name, gbs, gbs * score.getScoreError() / score.getScore());
            } else {
                System.out.printf("RESULT %s %.2f %s ±%.2f%n", name, score.getScore(), score.getScoreUnit(), score.getScoreError());
            }
        }
        // How much dearer each operation is at the larger size: mmap with 100 000 entries against
        // 100, fork with 10 000 entries against 1 000, exit of 1 GiB against 102 MiB.
        ratio(scores, "mmapScaling", "mmapScaling100000", "mmapScaling100");
        ratio(scores, "forkManyEntriesScaling", "forkManyEntries", "forkManyEntries1000");
        ratio(scores, "exit1GScaling", "exit1G", "exit102M");
        // The bulk goals: resident fill and check against the host's own fill.
        ratio(scores, "bulkFillVsRaw", "rawFill", "bulkFillResident");
        ratio(scores, "bulkCheckVsRaw", "rawFill", "bulkCheckResident");
        if (scores.containsKey("bulkFillFirstTouch")) {
            System.out.printf("RESULT bulkFillFirstTouch256M %.1f ms%n", scores.get("bulkFillFirstTouch"));
        }
    }

    /** Times compare inversely to speeds: each ratio is {@code large / small} of the times. */
    private static void ratio(Map<String, Double> scores, String name, String large, String small) {
        Double l = scores.get(large);
        Double s = scores.get(small);
        if (l != null && s != null) {
            System.out.printf("RESULT %s %.2f ratio%n", name, l / s);
        }
    }
}
