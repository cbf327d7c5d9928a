package pvm.vm.zone;

import io.vavr.control.Either;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.MemObject;
import pvm.vm.map.VmMap;
import pvm.vm.map.VmMaps;
import pvm.vm.page.PageAllocator;

/**
 * A zone of fixed-size blocks: Phoenix's {@code vm_zone_t} with {@code _vm_zoneCreate},
 * {@code _vm_zoneDestroy}, {@code _vm_zalloc} and {@code _vm_zfree}.
 *
 * <p>The zone's memory is one block of pages from the page allocator ({@code PAGE_OWNER_KERNEL |
 * PAGE_KERNEL_HEAP}, so the page map shows {@code H}), mapped into the kernel map. The free list is
 * threaded through the free blocks themselves, in simulated RAM: the first pointer-sized
 * little-endian word of a free block holds the virtual address of the next free block, 0 ending the
 * list, exactly the words Phoenix's {@code *((void **)block)} writes (as wide as the target's pointers, {@code TargetAbi.pointerSize}). Only the list head
 * ({@code first}) lives on the Java heap. The pages are contiguous both virtually and physically, so
 * a block's physical address is the zone's physical base plus the block's offset.
 *
 * <p>Not thread-safe, like the underscore functions it models: the owner (kmalloc) holds its lock
 * around every call.
 */
public final class VmZone {

    /** A free-list word on a 32-bit target: the layout {@link PhysicalMemory#read32} reads. */
    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED;
    /** A free-list word on a 64-bit target: the layout {@link PhysicalMemory#read64} reads. */
    private static final ValueLayout.OfLong WORD64 = ValueLayout.JAVA_LONG_UNALIGNED;
    /** A destroyed zone's window: empty, and native like every window, so the accesses stay monomorphic. */
    private static final MemorySegment EMPTY = MemorySegment.NULL;

    private final VmMap kmap;
    private final PageAllocator pages;
    private final PhysicalMemory memory;
    private final long blocksz;
    private final int pointerSize;
    private final int shift;
    private final int blocks;
    private final long mapped;
    /**
     * The zone's blocks in simulated RAM, checked to be RAM once at creation (see
     * {@link PhysicalMemory#window}): the free-list words are read and written through it, without
     * the search of the memory banks every {@link PhysicalMemory} access makes. An address outside
     * it (only a corrupted list holds one) still goes through {@link #memory} and its checks.
     */
    private MemorySegment window;
    private int frame;
    private long vaddr;
    private long phys;
    private long first;
    private int used;

    private VmZone(VmMap kmap, PageAllocator pages, PhysicalMemory memory, int pointerSize, long blocksz, int blocks, int frame,
            long mapped, long vaddr, long phys) {
        this.kmap = kmap;
        this.pages = pages;
        this.memory = memory;
        this.blocksz = blocksz;
        this.pointerSize = pointerSize;
        this.shift = Long.numberOfTrailingZeros(blocksz);
        this.blocks = blocks;
        this.frame = frame;
        this.mapped = mapped;
        this.vaddr = vaddr;
        this.phys = phys;
        this.window = memory.window(phys, blocksz * blocks);
    }

    /**
     * {@code _vm_zoneCreate}: a zone of {@code blocks} blocks of {@code blocksz} bytes. The pages come
     * from {@code pages} and are mapped into the kernel map at the first free address from its start,
     * with the kernel object, as Phoenix's {@code vm_mmap(kmap, kmap->start, pages, ...)}.
     *
     * @return the zone; {@code EINVAL} for a block size that is not a power of two of at least
     *     a pointer's bytes on the target (Phoenix does not check the lower bound; a smaller block cannot
     *     hold its free-list pointer), no blocks, or a zone too large; {@code ENOMEM} when pages or
     *     kernel address space run out, with nothing left allocated
     */
    public static Either<VmError, VmZone> create(VmMaps maps, PageAllocator pages, long blocksz, int blocks) {
        if (blocksz <= 0 || Long.bitCount(blocksz) != 1) {
            return Either.left(VmError.einval("zone block size must be a power of two, got " + blocksz));
        }
        int pointerSize = maps.hal().architecture().abi().pointerSize();
        if (blocksz < pointerSize) {
            return Either.left(VmError.einval("zone blocks of " + blocksz + " bytes cannot hold the free-list pointer"));
        }
        if (blocks <= 0) {
            return Either.left(VmError.einval("a zone needs at least one block, got " + blocks));
        }
        if (blocksz > (1L << 32) / blocks) {
            return Either.left(VmError.einval(String.format("a zone of %d blocks of %d bytes does not fit a 32-bit address space", blocks, blocksz)));
        }
        long bytes = blocksz * blocks;
        // The machine's allocation-failure injector: a zone that cannot be made, as when memory runs out.
        if (pages.failures().failNext()) {
            return Either.left(VmError.enomem(String.format("no zone of %d x %d bytes (injected)", blocks, blocksz)));
        }
        int f = pages.allocFrame(bytes, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP);
        if (f == PageFrames.NONE) {
            return Either.left(VmError.enomem(String.format("no pages for a zone of %d x %d bytes", blocks, blocksz)));
        }
        // Phoenix maps 1 << pages->idx bytes: the whole block the page allocator handed out.
        long mapped = Math.max(1L << pages.frames().idx(f), pages.pageSize());
        VmMap kmap = maps.kernelMap();
        MemObject kernel = maps.kernelObject();
        Either<VmError, VirtAddr> v = kmap.mmap(kmap.start(), new Frame(f), Size.of(mapped), Prot.READ | Prot.WRITE,
                kernel, -1, MapFlags.NONE, null);
        if (v.isLeft()) {
            pages.freeFrame(f);
            return Either.left(VmError.enomem("no kernel address space for a zone: " + v.getLeft().message()));
        }
        long va = v.get().value();
        // The block's physical address through the kernel's own translation: the frame's address with
        // an MMU, the virtual address itself without one.
        PhysAddr pa = kmap.pmap().resolve(v.get());
        PhysicalMemory memory = maps.hal().memory();
        if (pa.isNone() || !memory.isRam(pa.value(), bytes)) {
            kmap.munmap(v.get(), Size.of(mapped));
            pages.freeFrame(f);
            return Either.left(VmError.efault(String.format("zone at 0x%08x is not backed by RAM", va)));
        }
        VmZone zone = new VmZone(kmap, pages, memory, pointerSize, blocksz, blocks, f, mapped, va, pa.value());
        zone.prepare();
        return Either.right(zone);
    }

    /** The free list of a fresh zone: every block points at the next, the last at nothing. */
    private void prepare() {
        for (int i = 0; i < blocks - 1; i++) {
            writeWord(phys + i * blocksz, vaddr + (i + 1) * blocksz);
        }
        writeWord(phys + (blocks - 1) * blocksz, 0);
        first = vaddr;
        used = 0;
    }

    /**
     * {@code _vm_zoneDestroy}: unmaps the zone and gives its pages back.
     *
     * @return {@code EBUSY} while blocks are allocated, {@code EINVAL} for a zone already destroyed,
     *     {@code ENOMEM} when the kernel map cannot be split to unmap it; nothing changed then
     */
    public Either<VmError, Void> destroy() {
        if (vaddr == 0) {
            return Either.left(VmError.einval("zone already destroyed"));
        }
        if (used != 0) {
            return Either.left(VmError.ebusy(String.format("zone at 0x%08x has %d blocks in use", vaddr, used)));
        }
        // Phoenix ignores vm_munmap's answer and frees the pages still mapped when the kernel map
        // has no entry left to split; here the zone stays as it was.
        Either<VmError, Void> unmapped = kmap.munmap(VirtAddr.of(vaddr), Size.of(mapped));
        if (unmapped.isLeft()) {
            return Either.left(VmError.enomem(String.format("zone at 0x%08x cannot be unmapped: %s", vaddr,
                    unmapped.getLeft().message())));
        }
        pages.freeFrame(frame);
        vaddr = 0;
        first = 0;
        phys = 0;
        window = EMPTY;
        frame = PageFrames.NONE;
        return Either.right(null);
    }

    /**
     * {@code _vm_zalloc}: takes the head of the free list.
     *
     * @return the block's virtual address, or 0 when the zone is full (or destroyed)
     */
    public long zalloc() {
        if (used == blocks || vaddr == 0) {
            return 0;
        }
        long block = first;
        first = readWord(physAddrOf(block));
        used++;
        return block;
    }

    /**
     * {@code _vm_zfree}: pushes the block on the free list, so the next {@link #zalloc} returns it
     * (LIFO, as Phoenix). A pointer outside the zone is ignored, as Phoenix ignores it; so (an
     * addition) is one not at a block boundary or a free into an empty zone, either of which would
     * corrupt the list. A second free of a free block is not detected here: kmalloc keeps the
     * allocation bitmap that catches it.
     */
    public void zfree(long block) {
        if (!isBlock(block) || used == 0) {
            return;
        }
        writeWord(physAddrOf(block), first);
        first = block;
        used--;
    }

    /** One free-list word, through the zone's window when {@code pa} lies in it. */
    private long readWord(long pa) {
        long off = pa - phys;
        if (off >= 0 && off <= window.byteSize() - pointerSize) {
            return pointerSize == 8 ? window.get(WORD64, off) : window.get(WORD, off) & 0xffff_ffffL;
        }
        return pointerSize == 8 ? memory.read64(pa) : memory.read32(pa);
    }

    /** One free-list word, through the zone's window when {@code pa} lies in it. */
    private void writeWord(long pa, long value) {
        long off = pa - phys;
        if (off >= 0 && off <= window.byteSize() - pointerSize) {
            if (pointerSize == 8) {
                window.set(WORD64, off, value);
            } else {
                window.set(WORD, off, (int) value);
            }
        } else if (pointerSize == 8) {
            memory.write64(pa, value);
        } else {
            memory.write32(pa, value);
        }
    }

    /** Whether {@code addr} is the start of one of this zone's blocks. */
    public boolean isBlock(long addr) {
        return contains(addr) && ((addr - vaddr) & (blocksz - 1)) == 0;
    }

    /** Whether {@code addr} lies inside this zone's blocks ({@code kmalloc_zone_cmp}'s overlap test). */
    public boolean contains(long addr) {
        return vaddr != 0 && addr >= vaddr && addr - vaddr < blocksz * blocks;
    }

    /** The physical address of the byte at {@code addr} in this zone ({@code _vm_zalloc}'s {@code *addr}). */
    public long physAddrOf(long addr) {
        return phys + (addr - vaddr);
    }

    /** The index of the block holding {@code addr}. */
    public int blockIndex(long addr) {
        return (int) ((addr - vaddr) >>> shift);
    }

    public long blocksz() {
        return blocksz;
    }

    public int blocks() {
        return blocks;
    }

    public int used() {
        return used;
    }

    /** The zone's first virtual address, 0 once destroyed. */
    public long vaddr() {
        return vaddr;
    }

    /** The head of the free list, 0 when the zone is full. */
    public long first() {
        return first;
    }

    /** Bytes mapped for the zone: the page block it got, at least the blocks. */
    public long mappedBytes() {
        return mapped;
    }

    /** The page-frame index of the zone's pages ({@code zone->pages}), {@link PageFrames#NONE} once destroyed. */
    public int frame() {
        return frame;
    }

    /** The physical address of the zone's first block. */
    public long physBase() {
        return phys;
    }

    public boolean isDestroyed() {
        return vaddr == 0;
    }

    /**
     * The free blocks' indices, read from the list in simulated RAM (at most {@code blocks} steps, so
     * a corrupted list cannot loop). For checkers and views; allocates.
     */
    public BitSet freeBlocks() {
        BitSet seen = new BitSet(blocks);
        long b = first;
        for (int n = 0; b != 0 && n < blocks && isBlock(b); n++) {
            seen.set(blockIndex(b));
            b = readWord(physAddrOf(b));
        }
        return seen;
    }

    /**
     * The invariant checker: the free list in RAM visits exactly {@code blocks - used} distinct blocks
     * of this zone and ends with 0; the zone's pages are allocated kernel heap and mapped where the
     * zone says.
     */
    public List<String> verify() {
        List<String> out = new ArrayList<>();
        String name = String.format("zone 0x%08x", vaddr);
        if (vaddr == 0) {
            if (used != 0 || first != 0) {
                out.add("destroyed zone still has blocks or a free list");
            }
            return out;
        }
        if (used < 0 || used > blocks) {
            out.add(String.format("%s: used %d outside 0..%d", name, used, blocks));
            return out;
        }
        BitSet seen = new BitSet(blocks);
        long b = first;
        int n = 0;
        while (b != 0) {
            if (!isBlock(b)) {
                out.add(String.format("%s: free list reaches 0x%08x, not a block of this zone", name, b));
                return out;
            }
            int i = blockIndex(b);
            if (seen.get(i)) {
                out.add(String.format("%s: free list visits block 0x%08x twice", name, b));
                return out;
            }
            seen.set(i);
            n++;
            b = readWord(physAddrOf(b));
        }
        if (n != blocks - used) {
            out.add(String.format("%s: free list holds %d blocks, expected %d - %d = %d", name, n, blocks, used, blocks - used));
        }
        // vm_pageAlloc ORs the flags into the page's (Phoenix never clears them): the bits must be there.
        int flags = pages.frames().flags(frame);
        if (PageFlags.isFree(flags) || (PageFlags.owner(flags) & PageFlags.OWNER_KERNEL) == 0
                || (PageFlags.kernelUse(flags) & PageFlags.KERNEL_HEAP) != PageFlags.KERNEL_HEAP) {
            out.add(String.format("%s: its pages are %s, not kernel heap", name, PageFlags.describe(flags)));
        }
        PhysAddr pa = kmap.pmap().resolve(VirtAddr.of(vaddr));
        if (pa.value() != phys) {
            out.add(String.format("%s: mapped to %s, expected 0x%08x", name, pa, phys));
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("VmZone(0x%08x, %d x %d, used %d)", vaddr, blocks, blocksz, used);
    }
}
