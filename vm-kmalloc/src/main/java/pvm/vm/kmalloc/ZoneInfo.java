package pvm.vm.kmalloc;

/**
 * One kmalloc zone as views show it.
 *
 * @param vaddr the zone's first kernel virtual address
 * @param blocksz bytes per block
 * @param blocks number of blocks
 * @param used blocks allocated
 * @param header the kernel address of the header block holding its {@code vm_zone_t}, 0 for the
 *     first header zone (a static in Phoenix)
 * @param first whether this is the first header zone, which is never released
 */
public record ZoneInfo(long vaddr, long blocksz, int blocks, int used, long header, boolean first) {
}
