package pvm.integration.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;

/**
 * Random statement sequences on every target, checked against the reference model
 * ({@link StatementDriver} says which properties). In a build the {@code @FuzzTest}s replay the
 * inputs committed under {@code StatementFuzzTestInputs/} and the seeded test runs a fixed set of
 * sequences per target; {@code bin/pvm fuzz --minutes N} fuzzes them, coverage-guided by Jazzer
 * (docs/reliability.md).
 */
class StatementFuzzTest {

    /** Sequences per target the seeded test runs in every build: a few seconds in all. */
    private static final int SEEDED_RUNS = 12;
    private static final int SEEDED_STATEMENTS = 250;
    private static final Map<String, Architecture> TARGETS = new ConcurrentHashMap<>();

    @FuzzTest(maxDuration = "10m")
    void i686(FuzzedDataProvider data) {
        StatementDriver.run(target("i686"), Choices.of(data));
    }

    @FuzzTest(maxDuration = "10m")
    void nommu(FuzzedDataProvider data) {
        StatementDriver.run(target("nommu"), Choices.of(data));
    }

    @FuzzTest(maxDuration = "10m")
    void riscv64(FuzzedDataProvider data) {
        StatementDriver.run(target("riscv64"), Choices.of(data));
    }

    /**
     * The same driver fed by a seeded generator: {@code pvm.seed} picks the first seed (printed,
     * so a failure names the seed that replays it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"i686", "nommu", "riscv64"})
    void seededSequences(String name) {
        long first = Long.getLong("pvm.seed", 0x9e3779b97f4a7c15L);
        System.out.printf("seeded statement sequences on %s: pvm.seed=%d, %d runs%n", name, first, SEEDED_RUNS);
        for (int i = 0; i < SEEDED_RUNS; i++) {
            long seed = first + i;
            try {
                StatementDriver.run(target(name), Choices.seeded(seed, SEEDED_STATEMENTS));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " on " + name + " (replay with -Dpvm.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    @AfterAll
    static void figures() {
        System.out.printf("fuzz figures: %d runs, %d statements, %d faults refused for want of memory%n",
                StatementDriver.RUNS.get(), StatementDriver.STATEMENTS.get(), StatementDriver.OUT_OF_MEMORY.get());
    }

    private static Architecture target(String name) {
        return TARGETS.computeIfAbsent(name, n -> Architectures.named(n).getOrElseThrow((String why) -> new IllegalStateException(why)));
    }
}
