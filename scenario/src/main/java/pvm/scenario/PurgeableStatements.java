package pvm.scenario;

import java.util.Map;
import pvm.hal.pmap.Size;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * The statements of SerenityOS's purgeable memory, beyond Phoenix: {@code P volatile ADDR LEN},
 * {@code [$lost =] P nonvolatile ADDR LEN} and {@code purge} ({@link Machine#makeVolatile},
 * {@link Machine#makeNonvolatile}, {@link Machine#purge}).
 */
final class PurgeableStatements {

    private final ScenarioRun run;
    private final Machine machine;
    private final Map<String, Long> variables;

    PurgeableStatements(ScenarioRun run, Machine machine, Map<String, Long> variables) {
        this.run = run;
        this.machine = machine;
        this.variables = variables;
    }

    Effect makeVolatile(Statement.Volatile v) {
        Process p = run.process(v.process());
        return machine.makeVolatile(p, run.syscallAddress(v.address()), Size.of(run.length(v.length())))
                .fold(Effect.Failed::new, ok -> new Effect.Done("ok"));
    }

    /** The result is 1 when some of the range was purged while it was volatile (it reads as zeros now), else 0. */
    Effect makeNonvolatile(Statement.Nonvolatile n) {
        Process p = run.process(n.process());
        return machine.makeNonvolatile(p, run.syscallAddress(n.address()), Size.of(run.length(n.length())))
                .fold(Effect.Failed::new, lost -> {
                    long value = lost ? 1 : 0;
                    n.variable().ifPresent(name -> variables.put(name, value));
                    return new Effect.Done(value + (lost ? " (purged meanwhile: its pages read as zeros)" : " (nothing purged)"));
                });
    }

    Effect purge() {
        long pages = machine.purge();
        return new Effect.Done(pages + (pages == 1 ? " page" : " pages") + " purged");
    }
}
