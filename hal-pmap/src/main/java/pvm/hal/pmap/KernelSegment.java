package pvm.hal.pmap;

/**
 * A piece of the kernel image the kernel map starts with ({@code pmap_segment}): text, data, the
 * heap the boot used. {@code [start, start+size)} virtual, with protection {@link Prot} bits.
 */
public record KernelSegment(String name, VirtAddr start, Size size, int prot) {
}
