package pvm.integration.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a {@link StatementDriver} takes its decisions from: Jazzer's input (coverage-guided
 * fuzzing, {@link #of(FuzzedDataProvider)}) or a seeded generator ({@link #seeded}), so one driver
 * serves the fuzz tests, the seeded regression tests and the long campaigns.
 */
interface Choices {

    /** A number in {@code [0, bound)}. */
    int below(int bound);

    /** Whether another statement may follow. */
    boolean more();

    default boolean percent(int chance) {
        return below(100) < chance;
    }

    default <T> T oneOf(List<T> items) {
        return items.get(below(items.size()));
    }

    /** Decisions read from Jazzer's input: the sequence ends when the input does. */
    static Choices of(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int below(int bound) {
                return bound <= 1 ? 0 : data.consumeInt(0, bound - 1);
            }

            @Override
            public boolean more() {
                return data.remainingBytes() > 0;
            }
        };
    }

    /** {@code statements} decisions of a generator seeded with {@code seed}: the same seed, the same run. */
    static Choices seeded(long seed, int statements) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Choices() {
            private int left = statements;

            @Override
            public int below(int bound) {
                return bound <= 1 ? 0 : random.nextInt(bound);
            }

            @Override
            public boolean more() {
                return left-- > 0;
            }
        };
    }
}
