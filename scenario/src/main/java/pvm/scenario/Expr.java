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
     * A sum or difference of terms, evaluated left to right: {@code first}, then each of
     * {@code rest} added or subtracted ({@code $a+0x10-4}). It is flat rather than nested, so that a
     * sum of ten thousand terms is a loop, not ten thousand frames of recursion.
     *
     * @param first the first operand
     * @param rest the operands after it, each with its sign
     */
    record Sum(Expr first, java.util.List<Term> rest) implements Expr {

        /**
         * One {@code +operand} or {@code -operand} of a sum.
         *
         * @param minus whether it is subtracted
         * @param operand the number or variable
         */
        public record Term(boolean minus, Expr operand) {
        }

        public Sum {
            rest = java.util.List.copyOf(rest);
        }

        @Override
        public Either<String, Long> evaluate(long pageSize, Map<String, Long> variables) {
            Either<String, Long> first = this.first.evaluate(pageSize, variables);
            if (first.isLeft()) {
                return first;
            }
            long sum = first.get();
            for (Term t : rest) {
                Either<String, Long> v = t.operand().evaluate(pageSize, variables);
                if (v.isLeft()) {
                    return v;
                }
                try {
                    sum = t.minus() ? Math.subtractExact(sum, v.get()) : Math.addExact(sum, v.get());
                } catch (ArithmeticException e) {
                    return Either.left(text() + " overflows");
                }
            }
            return Either.right(sum);
        }

        @Override
        public String text() {
            StringBuilder s = new StringBuilder(first.text());
            for (Term t : rest) {
                s.append(t.minus() ? '-' : '+').append(t.operand().text());
            }
            return s.toString();
        }

        @Override
        public java.util.OptionalLong constant() {
            var first = this.first.constant();
            if (first.isEmpty()) {
                return first;
            }
            long sum = first.getAsLong();
            for (Term t : rest) {
                var v = t.operand().constant();
                if (v.isEmpty()) {
                    return v;
                }
                try {
                    sum = t.minus() ? Math.subtractExact(sum, v.getAsLong()) : Math.addExact(sum, v.getAsLong());
                } catch (ArithmeticException e) {
                    return java.util.OptionalLong.empty();
                }
            }
            return java.util.OptionalLong.of(sum);
        }
    }
}
