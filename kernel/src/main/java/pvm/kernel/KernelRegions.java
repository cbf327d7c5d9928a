package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.kernel.KernelRegion.Kind;
import pvm.kernel.KernelRegion.MemoryType;
import pvm.vm.map.MemObject;
import pvm.vm.map.VmMap;
import pvm.vm.map.VmMaps;
import pvm.vm.page.PageAllocator;

/**
 * The kernel's own regions for drivers, after SerenityOS's {@code MemoryManager::allocate_dma_buffer_pages}
 * and {@code allocate_mmio_kernel_region} (Phoenix's drivers are processes that {@code mmap} with
 * {@code MAP_PHYSMEM | MAP_DEVICE} or {@code MAP_CONTIGUOUS}; its kernel maps devices with
 * {@code _pmap_halMapDevice}). Both are {@code vm_mmap} calls on the kernel map:
 *
 * <ul>
 *   <li>{@link #dma}: one block of physically contiguous pages from the page allocator (the buddy
 *       allocator rounds the size up to a power of two of pages, and the whole block is mapped, as
 *       for a kmalloc zone), zeroed as SerenityOS zeroes contiguous pages, mapped with the kernel
 *       object and the memory type's flag.</li>
 *   <li>{@link #mmio}: a range of physical addresses that is not RAM, mapped through the
 *       {@code PHYSMEM} object with the memory type's flag ({@code io}, Phoenix's {@code MAP_DEVICE},
 *       unless asked otherwise). Without an MMU the mapper makes no entry and the address is the
 *       physical one, as for a process's {@code MAP_PHYSMEM}.</li>
 * </ul>
 *
 * <p>Failures change nothing: {@code EINVAL} for a bad size or address, an MMIO range that overlaps
 * RAM (that is {@link #dma}'s memory, and a second, uncached alias of pages the allocator hands out
 * would be a bug) or reaches past the 32 bits of physical address the {@code PHYSMEM} object takes,
 * and an {@link #unmap} of an address no region starts at; {@code ENOMEM} when pages, entries or
 * kernel address space run out, or the page allocator cannot give a block that large in one piece.
 */
public final class KernelRegions {

    /** The highest physical address the {@code PHYSMEM} object maps (Phoenix's 32-bit {@code addr_t}), plus one. */
    static final long PHYSMEM_END = 1L << 32;

    private final VmMaps maps;
    private final PageAllocator pages;
    private final List<KernelRegion> regions = new ArrayList<>();

    KernelRegions(VmMaps maps, PageAllocator pages) {
        this.maps = maps;
        this.pages = pages;
    }

    /** A zeroed, physically contiguous DMA region of at least {@code size} bytes. */
    public synchronized Either<VmError, KernelRegion> dma(long size, MemoryType type) {
        int ps = pages.pageSize();
        if (size <= 0 || size > PHYSMEM_END) {
            return Either.left(VmError.einval("kernel dma: size " + size + " is not between 1 byte and 4 GiB"));
        }
        long bytes = Sizes.alignUp(size, ps);
        int f = pages.allocFrame(bytes, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP);
        if (f == PageFrames.NONE) {
            return Either.left(VmError.enomem("kernel dma: no block of " + Sizes.human(bytes) + " of contiguous pages"));
        }
        long mapped = Math.max(1L << pages.frames().idx(f), ps);
        VmMap kmap = maps.kernelMap();
        Either<VmError, VirtAddr> v = kmap.mmap(kmap.start(), new Frame(f), Size.of(mapped), Prot.READ | Prot.WRITE,
                maps.kernelObject(), -1, type.mapFlags(), null);
        if (v.isLeft()) {
            pages.freeFrame(f);
            return Either.left(VmError.enomem("kernel dma: " + v.getLeft().message()));
        }
        // The block's physical address through the kernel's own translation, as _vm_zoneCreate finds
        // a zone's: the frame's with an MMU; without one the kernel map's range is the memory itself.
        PhysAddr resolved = kmap.pmap().resolve(v.get());
        if (resolved.isNone() || !maps.hal().memory().isRam(resolved.value(), mapped)) {
            kmap.munmap(v.get(), Size.of(mapped));
            pages.freeFrame(f);
            return Either.left(VmError.efault(String.format("kernel dma: the region at 0x%08x is not backed by RAM", v.get().value())));
        }
        long pa = resolved.value();
        maps.hal().memory().fill(pa, mapped, 0);
        return Either.right(add(new KernelRegion(Kind.DMA, v.get().value(), pa, mapped, type, f)));
    }

    /** The device range {@code [paddr, paddr + size)} (whole pages) mapped into the kernel map. */
    public synchronized Either<VmError, KernelRegion> mmio(long paddr, long size, MemoryType type) {
        int ps = pages.pageSize();
        if (paddr < 0 || !Sizes.isAligned(paddr, ps)) {
            return Either.left(VmError.einval(String.format("kernel mmio: 0x%x is not a page-aligned physical address", paddr)));
        }
        if (size <= 0 || size > PHYSMEM_END || paddr > PHYSMEM_END - Sizes.alignUp(size, ps)) {
            return Either.left(VmError.einval(String.format("kernel mmio: [0x%x, +%d) is not a range below 4 GiB, the physical addresses"
                    + " the PHYSMEM object maps", paddr, size)));
        }
        long bytes = Sizes.alignUp(size, ps);
        for (BootMemoryMap.Bank b : maps.hal().memory().layout().banks()) {
            if (paddr < b.end() && b.start() < paddr + bytes) {
                return Either.left(VmError.einval(String.format("kernel mmio: [0x%x, 0x%x) overlaps RAM bank %s [0x%x, 0x%x);"
                        + " RAM is not a device (kernel dma gives RAM)", paddr, paddr + bytes, b.name(), b.start(), b.end())));
            }
        }
        VmMap kmap = maps.kernelMap();
        Either<VmError, VirtAddr> v = kmap.mmap(kmap.start(), Frame.NONE, Size.of(bytes), Prot.READ | Prot.WRITE,
                MemObject.PHYSMEM, paddr, type.mapFlags(), null);
        return v.map(va -> add(new KernelRegion(Kind.MMIO, va.value(), paddr, bytes, type, -1)));
    }

    /**
     * Unmaps the region that starts at {@code vaddr} and gives a DMA region's pages back.
     *
     * @return {@code EINVAL} when no region starts there; nothing changed then
     */
    public synchronized Either<VmError, KernelRegion> unmap(long vaddr) {
        int i = indexOf(vaddr);
        if (i < 0) {
            return Either.left(VmError.einval(String.format("kernel unmap: no DMA or MMIO region starts at 0x%08x", vaddr)));
        }
        KernelRegion r = regions.get(i);
        VmMap kmap = maps.kernelMap();
        if (kmap.entries().stream().anyMatch(e -> e.vaddr().value() < r.end() && r.vaddr() < e.end())) {
            Either<VmError, Void> u = kmap.munmap(VirtAddr.of(r.vaddr()), Size.of(r.size()));
            if (u.isLeft()) {
                return Either.left(u.getLeft());
            }
        }
        if (r.frame() >= 0) {
            pages.freeFrame(r.frame());
        }
        regions.remove(i);
        return Either.right(r);
    }

    /** The regions, in the order they were made. */
    public synchronized List<KernelRegion> list() {
        return List.copyOf(regions);
    }

    /**
     * The memory type the hardware was given for a region, read back from the kernel pmap's entry of
     * its first page ({@code pmap_resolve}'s attributes): {@code io}, {@code uncached}, {@code normal},
     * or {@code none} where there is no page entry (a target without page tables, whose MPU region
     * for the memory map decides, or a page not mapped).
     */
    public String hardwareType(KernelRegion r) {
        VirtAddr va = VirtAddr.of(r.vaddr());
        int attr = maps.kernelMap().pmap().attributes(va);
        if (maps.kernelMap().pmap().root().isNone() || (attr & Attr.PRESENT) == 0) {
            return "none";
        }
        return (attr & Attr.DEVICE) != 0 ? MemoryType.IO.word() : (attr & Attr.NOT_CACHED) != 0 ? MemoryType.UNCACHED.word() : MemoryType.NORMAL.word();
    }

    /**
     * The checker: every page of a region the kernel pmap translates maps the region's physical
     * page, and a DMA region's block is still allocated kernel memory.
     */
    public synchronized List<String> verify() {
        List<String> out = new ArrayList<>();
        int ps = pages.pageSize();
        for (KernelRegion r : regions) {
            String name = String.format("%s region 0x%08x", r.kind().word(), r.vaddr());
            for (long off = 0; off < r.size(); off += ps) {
                PhysAddr pa = maps.kernelMap().pmap().resolve(VirtAddr.of(r.vaddr() + off));
                if (!pa.isNone() && pa.value() != r.paddr() + off) {
                    out.add(String.format("%s: page +0x%x maps %s, expected 0x%08x", name, off, pa, r.paddr() + off));
                    break;
                }
            }
            if (r.frame() >= 0) {
                int flags = pages.frames().flags(r.frame());
                if (PageFlags.isFree(flags) || (PageFlags.owner(flags) & PageFlags.OWNER_KERNEL) == 0) {
                    out.add(String.format("%s: its pages are %s, not the kernel's", name, PageFlags.describe(flags)));
                }
            }
        }
        return out;
    }

    private int indexOf(long vaddr) {
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).vaddr() == vaddr) {
                return i;
            }
        }
        return -1;
    }

    private KernelRegion add(KernelRegion r) {
        regions.add(r);
        return r;
    }
}
