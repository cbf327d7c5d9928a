package pvm.cli.explore;

import java.util.Map;
import java.util.Optional;
import pvm.scenario.Expr;
import pvm.scenario.Statement;

/**
 * The virtual address a statement touches through the MMU and the process touching it: what the
 * explorer walks after each step, so the page-table walk (or the MPU verdict) follows the lesson.
 */
record Touch(String process, long address) {

    /** The address {@code s} loads from or stores to, evaluated with the variables as they are before it runs. */
    static Optional<Touch> of(Statement s, long pageSize, Map<String, Long> variables) {
        return switch (s) {
            case Statement.Store st -> at(st.process(), st.address(), pageSize, variables);
            case Statement.Load l -> at(l.process(), l.address(), pageSize, variables);
            case Statement.Fill f -> at(f.process(), f.address(), pageSize, variables);
            case Statement.Check c -> at(c.process(), c.address(), pageSize, variables);
            case Statement.CheckFile c -> at(c.process(), c.address(), pageSize, variables);
            case Statement.ExpectLoad e -> at(e.process(), e.address(), pageSize, variables);
            case Statement.Expect e -> of(e.statement(), pageSize, variables);
            case Statement.Show sh when sh.address().isPresent() ->
                at(sh.process().orElse(null), sh.address().get(), pageSize, variables);
            default -> Optional.empty();
        };
    }

    private static Optional<Touch> at(String process, Expr address, long pageSize, Map<String, Long> variables) {
        return address.evaluate(pageSize, variables).toJavaOptional().map(va -> new Touch(process, va));
    }
}
