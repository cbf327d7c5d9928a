package pvm.kernel;

/**
 * How the kernel runs processes.
 *
 * @param lazy Phoenix's {@code process->lazy}: demand paging and copy-on-write fork. Phoenix sets
 *     it only without an MMU (on ia32 mmap populates every page and fork copies every page at
 *     once); pvm makes it the default everywhere, because demand paging and copy-on-write are what
 *     the model is for, and keeps Phoenix's eager behaviour selectable (see docs/differences.md).
 */
public record KernelOptions(boolean lazy) {

    public static final KernelOptions DEFAULT = new KernelOptions(true);

    /** Phoenix's own choice: eager on targets with an MMU. */
    public static final KernelOptions PHOENIX_EAGER = new KernelOptions(false);
}
