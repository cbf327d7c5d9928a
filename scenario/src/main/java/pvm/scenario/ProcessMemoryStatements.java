package pvm.scenario;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.kernel.UserStack;

/**
 * The statements of a process's own memory beyond Phoenix (docs/scenario-language.md): {@code spawn
 * P [stack SIZE] [heap SIZE]}, {@code [$v =] P sbrk N} and {@code [$v =] P brk ADDR}, and the variables that
 * name a stack's bounds, {@code $P.stack} (its lowest address) and {@code $P.stacktop} (one past
 * its highest), which the run sets for every process that has a stack and forgets at its exit.
 */
final class ProcessMemoryStatements {

    /** The properties of a process a scenario can name, as written after {@code $P.}. */
    static final String PROPERTIES = "$P.stack and $P.stacktop";

    private static final Pattern PROPERTY = Pattern.compile("[a-z][a-z0-9_]*\\.(stack|stacktop)");

    private ProcessMemoryStatements() {
    }

    /** Whether {@code name} (without the dollar) is a process's property: {@code p.stack}, {@code p.stacktop}. */
    static boolean isProperty(String name) {
        return PROPERTY.matcher(name).matches();
    }

    /** Sets {@code $P.stack} and {@code $P.stacktop} when {@code p} has a stack (its own, a parent's after fork or vfork). */
    static void nameStack(Process p, Map<String, Long> variables) {
        UserStack s = p.stack();
        if (s != null) {
            variables.put(p.name() + ".stack", s.bottom());
            variables.put(p.name() + ".stacktop", s.top());
        }
    }

    /** After {@code name}'s exit: its stack's variables go with it. */
    static void forget(String name, Map<String, Long> variables) {
        variables.remove(name + ".stack");
        variables.remove(name + ".stacktop");
    }

    /** What {@code spawn P stack SIZE heap SIZE} adds to its result ({@code pid N}): the stack and its guard, where the heap starts. */
    static String describe(Machine machine, Process p, boolean heap) {
        UserStack s = p.stack();
        String stack = s == null ? "" : String.format(", stack 0x%08x-0x%08x, guard page at 0x%08x", s.bottom(), s.top(), s.guard());
        return stack + (heap ? String.format(", heap from 0x%08x", machine.sbrk(p, 0).get()) : "");
    }

    /** {@code [$v =] P sbrk N}: the old break, stored in {@code $v}. */
    static Effect sbrk(Machine machine, Process p, long increment, Optional<String> variable, Map<String, Long> variables) {
        return machine.sbrk(p, increment).fold(Effect.Failed::new, old -> {
            variable.ifPresent(v -> variables.put(v, old));
            return new Effect.Done(String.format("0x%08x (break now 0x%08x)", old, old + increment));
        });
    }

    /** {@code [$v =] P brk ADDR}: the new break, stored in {@code $v}. */
    static Effect brk(Machine machine, Process p, long addr, Optional<String> variable, Map<String, Long> variables) {
        return machine.brk(p, addr).fold(Effect.Failed::new, now -> {
            variable.ifPresent(v -> variables.put(v, now));
            return new Effect.Done(String.format("break 0x%08x", now));
        });
    }
}
