package pvm.hal.pmap;

/**
 * A length in bytes, at module boundaries, so a size cannot be passed where an address is expected.
 *
 * @param bytes the length, never negative
 */
public record Size(long bytes) {

    public static final Size ZERO = new Size(0);

    public Size {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
    }

    public static Size of(long bytes) {
        return new Size(bytes);
    }

    public static Size kib(long kib) {
        return new Size(kib << 10);
    }

    public static Size mib(long mib) {
        return new Size(mib << 20);
    }

    /** The number of whole pages this size covers, rounding up. */
    public long pages(int pageSize) {
        return (bytes + pageSize - 1) / pageSize;
    }

    @Override
    public String toString() {
        return Sizes.human(bytes);
    }
}
