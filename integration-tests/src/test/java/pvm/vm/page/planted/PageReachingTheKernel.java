package pvm.vm.page.planted;

/** A planted violation: the page layer reaching up into the kernel. Test code only. */
public final class PageReachingTheKernel {
    public Object reach() {
        return pvm.kernel.Machine.class;
    }
}
