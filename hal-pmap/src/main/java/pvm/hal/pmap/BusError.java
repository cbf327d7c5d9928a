package pvm.hal.pmap;

/**
 * An access to a physical address where the machine has no RAM: a bus error on real hardware.
 * Thrown rather than returned because no layer should ever issue one; it signals a broken
 * invariant (a page table pointing into a hole, a bad frame number), never user input.
 */
public final class BusError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long address;

    public BusError(long address, long length, String why) {
        super(String.format("bus error: %d-byte physical access at 0x%08x: %s", length, address, why));
        this.address = address;
    }

    public long address() {
        return address;
    }
}
