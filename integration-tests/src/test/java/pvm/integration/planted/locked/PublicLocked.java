package pvm.integration.planted.locked;

/** A planted violation: a public {@code *Locked} method. */
public final class PublicLocked {
    public void allocLocked() {
    }
}
