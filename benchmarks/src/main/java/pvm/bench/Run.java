package pvm.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks and prints one line per benchmark, {@code NAME VALUE UNIT}, the format
 * {@code benchmarks/run} promises. {@code --quick} keeps the whole run under two minutes.
 */
public final class Run {

    private Run() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = List.of(args).contains("--quick");
        List<String> patterns = new ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                patterns.add(a);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(1)
                .warmupIterations(quick ? 2 : 5)
                .warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 10)
                .measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Dguice_bytecode_gen_option=DISABLED",
                        "--sun-misc-unsafe-memory-access=allow")
                .shouldFailOnError(true);
        if (patterns.isEmpty()) {
            options.include("pvm\\.bench\\..*");
        } else {
            patterns.forEach(options::include);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        java.util.Map<String, Double> scores = new java.util.HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            // A parameterised benchmark gets its parameter in its name: mmapScaling100000.
            for (String key : r.getParams().getParamsKeys()) {
                name += r.getParams().getParam(key);
            }
            var score = r.getPrimaryResult();
            scores.put(name, score.getScore());
            System.out.printf("RESULT %s %.2f %s ±%.2f%n", name, score.getScore(), score.getScoreUnit(), score.getScoreError());
        }
        Double small = scores.get("mmapScaling100");
        Double large = scores.get("mmapScaling100000");
        if (small != null && large != null) {
            // The figure: how much dearer an mmap is with 100 000 entries than with 100.
            System.out.printf("RESULT mmapScaling %.2f ratio%n", large / small);
        }
    }
}
