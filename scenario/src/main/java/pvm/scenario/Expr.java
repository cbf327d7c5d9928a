package pvm.scenario;

import io.vavr.control.Either;
import java.util.Map;

/**
 * A number in a scenario: a literal, a variable, or a sum or difference of them
 * ({@code $a+1P}, {@code $a+0x10-4}). The page suffix {@code P} is kept symbolic and resolved when
 * the scenario runs, against the page size of the target it runs on.
 */
public sealed interface Expr {

    /**
     * The value on a target with pages of {@code pageSize} bytes, with {@code variables} bound;
     * or why there is none (an unbound variable, an overflow).
     */
    Either<String, Long> evaluate(long pageSize, Map<String, Long> variables);

    /** The expression as a scenario writes it. */
    String text();

    /** The value if it needs neither variables nor the page size (for checks at parse time). */
    default java.util.OptionalLong constant() {
        return java.util.OptionalLong.empty();
    }

    /**
     * A literal. {@code K}, {@code M} and {@code G} are applied when parsed; {@code P} is not, since
     * a page is a different size on each target.
     *
     * @param value the number, with any binary suffix applied
     * @param pages whether it counts pages ({@code 3P}) rather than bytes
     * @param text how it was written
     */
    record Num(long value, boolean pages, String text) implements Expr {

        public Num {
            if (value < 0) {
                throw new IllegalArgumentException("negative literal " + value);
            }
        }

        /** A byte count written in decimal. */
        public static Num of(long value) {
            return new Num(value, false, Long.toString(value));
        }

        @Override
        public Either<String, Long> evaluate(long pageSize, Map<String, Long> variables) {
            if (!pages) {
                return Either.right(value);
            }
            try {
                return Either.right(Math.multiplyExact(value, pageSize));
            } catch (ArithmeticException e) {
                return Either.left(text + " pages of " + pageSize + " bytes overflow");
            }
        }

        @Override
        public java.util.OptionalLong constant() {
            return pages ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(value);
        }
    }

    /**
     * A variable ({@code $a}), bound by {@code $a = ...}.
     *
     * @param name the name without the dollar
     */
    record Var(String name) implements Expr {

        @Override
        public Either<String, Long> evaluate(long pageSize, Map<String, Long> variables) {
            Long v = variables.get(name);
            return v == null ? Either.left("variable $" + name + " has no value (nothing assigned it yet)") : Either.right(v);
        }

        @Override
        public String text() {
            return "$" + name;
        }
    }

    /**
     * {@code left + right} or {@code left - right}, evaluated left to right.
     *
     * @param left the left operand
     * @param minus whether it is a difference
     * @param right the right operand
     */
    record Sum(Expr left, boolean minus, Expr right) implements Expr {

        @Override
        public Either<String, Long> evaluate(long pageSize, Map<String, Long> variables) {
            return left.evaluate(pageSize, variables).flatMap(l -> right.evaluate(pageSize, variables).flatMap(r -> {
                try {
                    return Either.right(minus ? Math.subtractExact(l, r) : Math.addExact(l, r));
                } catch (ArithmeticException e) {
                    return Either.left(text() + " overflows");
                }
            }));
        }

        @Override
        public String text() {
            return left.text() + (minus ? "-" : "+") + right.text();
        }

        @Override
        public java.util.OptionalLong constant() {
            var l = left.constant();
            var r = right.constant();
            if (l.isEmpty() || r.isEmpty()) {
                return java.util.OptionalLong.empty();
            }
            try {
                return java.util.OptionalLong.of(minus ? Math.subtractExact(l.getAsLong(), r.getAsLong())
                        : Math.addExact(l.getAsLong(), r.getAsLong()));
            } catch (ArithmeticException e) {
                return java.util.OptionalLong.empty();
            }
        }
    }
}
