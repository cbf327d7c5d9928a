package pvm.vm.object;

import java.util.ArrayList;
import java.util.List;
import pvm.vm.map.MapOwner;
import pvm.vm.map.VmMap;

/**
 * One shared file range on a target without an MMU, after Linux's no-MMU {@code struct vm_region}
 * (Phoenix has no such thing: it cannot share a file without an MMU). The bytes
 * {@code [offs, offs+size)} of {@link #object()} live in one block of the memory map the processes
 * use, at {@link #vaddr()}, which (virtual being physical) is the address every process mapping that
 * range is given. A map entry of the object, owned by this region, reserves the block in that map
 * so nobody else is handed its addresses; each process mapping the range (or a part of it) holds a
 * {@link Share}, and the last share to go unmaps the block.
 *
 * <p>The region is the owner of its map entry, not a process, so no process's exit takes the entry
 * with it, and the entry never merges with a neighbour (without an MMU only entries of one owner
 * merge). It is a lazy owner: mapping the block fetches no object page.
 *
 * <p>Its metadata costs a kmalloc block of {@link ObjectSizes#regionSize()} bytes, and each share one
 * of {@link ObjectSizes#shareSize()}. Fields change under {@link SharedRegions}'s lock (read the
 * shares with {@link VmPager#sharesOf}); the object's list of regions also under the object store's
 * lock, for readers of the object's bytes.
 */
public final class SharedRegion implements MapOwner {

    /**
     * One process's mapping of a region (a per-process VMA on Linux): {@code size} bytes at
     * {@code vaddr}, inside the region.
     *
     * @param holder the process the mapping belongs to
     * @param kaddr the kernel address of its kmalloc block
     */
    public record Share(MapOwner holder, long vaddr, long size, long kaddr) {
        boolean is(Object who, long at, long length) {
            return holder == who && vaddr == at && size == length;
        }
    }

    final VmObject object;
    final VmMap map;
    final long offs;
    final long size;
    final long kaddr;
    /** Set once the block is mapped. */
    long vaddr;
    final List<Share> shares = new ArrayList<>(2);

    SharedRegion(VmObject object, VmMap map, long offs, long size, long kaddr) {
        this.object = object;
        this.map = map;
        this.offs = offs;
        this.size = size;
        this.kaddr = kaddr;
    }

    /** Mapping the block must not populate it: its bytes are copied in once, by the region. */
    @Override
    public boolean lazy() {
        return true;
    }

    public VmObject object() {
        return object;
    }

    /** The shared map the block lies in. */
    public VmMap map() {
        return map;
    }

    /** The block's address: virtual and physical at once. */
    public long vaddr() {
        return vaddr;
    }

    public long size() {
        return size;
    }

    /** The object offset of {@link #vaddr()}. */
    public long offs() {
        return offs;
    }

    long end() {
        return vaddr + size;
    }

    /** Whether object offset {@code at} lies in the region. */
    boolean holdsOffset(long at) {
        return at >= offs && at - offs < size;
    }

    /** Whether {@code [from, from+length)} of the map overlaps the block (an empty range overlaps nothing). */
    boolean overlaps(long from, long length) {
        return length > 0 && from < end() && from + length > vaddr;
    }

    @Override
    public String toString() {
        return String.format("region 0x%08x+0x%x of %s +0x%x", vaddr, size, object.describe(), offs);
    }
}
