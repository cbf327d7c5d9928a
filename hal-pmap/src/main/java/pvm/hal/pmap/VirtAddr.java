package pvm.hal.pmap;

/**
 * A virtual address in some address space. On the 32-bit targets the value is an unsigned 32-bit
 * number held in a {@code long}, so comparisons need no unsigned helpers at this level.
 *
 * @param value the address, never negative
 */
public record VirtAddr(long value) implements Comparable<VirtAddr> {

    public static final VirtAddr NULL = new VirtAddr(0);

    public VirtAddr {
        if (value < 0) {
            throw new IllegalArgumentException("negative virtual address " + value);
        }
    }

    public static VirtAddr of(long value) {
        return new VirtAddr(value);
    }

    public VirtAddr plus(long bytes) {
        return new VirtAddr(value + bytes);
    }

    @Override
    public int compareTo(VirtAddr other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return String.format("VirtAddr(0x%08x)", value);
    }
}
