package pvm.hal.pmap;

/**
 * A physical address: what a page-table entry points at and what {@link PhysicalMemory} is indexed
 * by. A distinct type from {@link VirtAddr} so that swapping the two does not compile.
 *
 * @param value the address; {@link #NONE} ({@code -1}) where Phoenix returns 0 or NULL for "none"
 */
public record PhysAddr(long value) implements Comparable<PhysAddr> {

    /** "No address": what {@code pmap_resolve} and friends return for an unmapped page. */
    public static final PhysAddr NONE = new PhysAddr(-1);

    public static PhysAddr of(long value) {
        return new PhysAddr(value);
    }

    public boolean isNone() {
        return value == -1;
    }

    public PhysAddr plus(long bytes) {
        return new PhysAddr(value + bytes);
    }

    @Override
    public int compareTo(PhysAddr other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return isNone() ? "PhysAddr(none)" : String.format("PhysAddr(0x%08x)", value);
    }
}
