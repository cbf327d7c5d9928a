package pvm.kernel;

/**
 * A process's stack, made by {@code spawn P stack SIZE}: {@code [bottom, top)} of ordinary
 * anonymous private memory ending at the target's {@link pvm.hal.pmap.Architecture#userStackTop},
 * with one guard page {@code [guard, bottom)} under it. Phoenix gives a process no stack of its
 * own here (its loader maps one with the program); this is the classic i686 hobby kernel's
 * {@code USER_STACK_START} with the guard page SerenityOS and Linux put below a stack.
 *
 * <p>The guard is a map entry with no rights at all (and none to gain by {@code mprotect}), so no
 * mapping lands on it and any touch faults; {@link #reasonFor} names such a fault.
 *
 * @param guard the first address of the guard page
 * @param bottom the lowest address of the stack
 * @param top one past the highest address of the stack
 */
public record UserStack(long guard, long bottom, long top) {

    /** The reason a SIGSEGV report gives for a fault at {@code va}, or empty when the guard is not where it faulted. */
    String reasonFor(long va) {
        return va >= guard && va < bottom ? "stack guard page" : "";
    }
}
