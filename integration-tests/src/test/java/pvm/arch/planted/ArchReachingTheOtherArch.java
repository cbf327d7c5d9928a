package pvm.arch.planted;

/** A planted violation: one architecture reaching another. */
public final class ArchReachingTheOtherArch {
    public Object reach() {
        return new pvm.arch.i686.I686Architecture();
    }
}
