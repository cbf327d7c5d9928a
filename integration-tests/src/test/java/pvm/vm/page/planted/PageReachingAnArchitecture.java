package pvm.vm.page.planted;

/** A planted violation: a page-layer class naming an architecture. Test code only. */
public final class PageReachingAnArchitecture {
    public Object reach() {
        return new pvm.arch.i686.I686Architecture();
    }
}
