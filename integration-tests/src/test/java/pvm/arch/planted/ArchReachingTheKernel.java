package pvm.arch.planted;

/**
 * A planted violation: an "architecture" class reaching the kernel. It is test code, so the check
 * of the production classes never sees it; the rule is evaluated against it on its own.
 */
public final class ArchReachingTheKernel {
    public Object reach() {
        return pvm.kernel.Machine.class;
    }
}
