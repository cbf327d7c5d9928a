package pvm.hal.pmap;

/**
 * A piece of the kernel image that the loader placed and mapped before the kernel ran: text, data,
 * bss and what lies between them. Its pages must translate to their own frames for the machine's
 * whole life, {@code start + i} to {@code phys + i}; a kernel mapping laid over one of them
 * overwrites the kernel itself. The map layer's checker holds every address space to that.
 *
 * <p>{@code [start, end)} virtual; both ends page-aligned (the page holding {@code _end} is the
 * image's too).
 */
public record KernelImageRange(String name, VirtAddr start, VirtAddr end, PhysAddr phys) {

    public KernelImageRange {
        if (Long.compareUnsigned(start.value(), end.value()) > 0) {
            throw new IllegalArgumentException("a kernel image range must not end before it starts: " + name);
        }
    }

    /** The physical address the image page at {@code va} must map, for {@code va} in this range. */
    public long physOf(long va) {
        return phys.value() + (va - start.value());
    }
}
