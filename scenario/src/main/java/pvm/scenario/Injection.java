package pvm.scenario;

import java.util.Optional;
import pvm.hal.pmap.VmError;
import pvm.kernel.Machine;
import pvm.vm.page.AllocationFailures;

/**
 * {@code inject ENOMEM [always] after N} and {@code inject off}: arms the machine's
 * {@link AllocationFailures}, which every allocator a system call or a fault reaches consults (the
 * page allocator and its page tables, the map entry pool, kmalloc, zone creation, the object
 * layer's backing-store reads).
 *
 * <p>{@code after N}: the next {@code N} allocations succeed, the one after them fails, and
 * injection is off again; {@code always after N}: every allocation after those {@code N} fails until
 * {@code inject off}. The count runs across statements: {@code inject ENOMEM after 2} then a
 * statement that allocates once leaves one more to succeed for the next statement.
 */
final class Injection {

    /** Beyond this many allocations to let through, a count is surely a mistake. */
    private static final long MAX_AFTER = Integer.MAX_VALUE - 1;

    private Injection() {
    }

    /** Arms ({@code after} present) or disarms the injector; {@code EINVAL} for a count out of range. */
    static Effect apply(Machine machine, Optional<Long> after, boolean always) {
        AllocationFailures failures = machine.failures();
        if (after.isEmpty()) {
            failures.off();
            return new Effect.Done("every allocation succeeds again");
        }
        long n = after.get();
        if (n < 0 || n > MAX_AFTER) {
            return new Effect.Failed(VmError.einval("allocations to let through must be 0 to " + MAX_AFTER + ", got " + n));
        }
        if (always) {
            failures.failEveryAfter((int) n);
            return new Effect.Done(n == 0 ? "every allocation fails" : "every allocation after the next " + n + " fails");
        }
        failures.failAfter((int) n);
        return new Effect.Done(n == 0 ? "the next allocation fails" : "the allocation after the next " + n + " fails");
    }
}
