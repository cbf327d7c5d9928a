package pvm.vm.object;

import io.vavr.control.Either;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.MemObject;
import pvm.vm.map.VmMap;

/**
 * {@code amap_map} and {@code amap_unmap}: a page mapped into the kernel map for a moment, so the
 * kernel can zero or copy it, then unmapped. Each mapping is a real entry of the kernel map (of the
 * kernel object, read-write) and a real page-table entry, as in Phoenix; the bytes are then moved in
 * simulated RAM at the physical address the kernel's translation gives for the mapping (the frame's
 * address with an MMU, the virtual address itself without one).
 *
 * <p>Phoenix calls the unlocked {@code _vm_mmap}/{@code _vm_munmap} when the faulting map is the
 * kernel map, whose lock it already holds; the map's lock is reentrant here, so the public calls
 * serve both cases.
 */
final class KernelWindow {

    private final VmMap kmap;
    private final MemObject kernel;
    private final PhysicalMemory memory;
    private final int pageSize;

    KernelWindow(VmMap kmap, MemObject kernel, PhysicalMemory memory, int pageSize) {
        this.kmap = kmap;
        this.kernel = kernel;
        this.memory = memory;
        this.pageSize = pageSize;
    }

    /** {@code amap_map}: maps frame {@code frame} anywhere in the kernel map; its address, or 0. */
    long map(int frame) {
        Either<VmError, VirtAddr> v = kmap.mmap(VirtAddr.NULL, new Frame(frame), Size.of(pageSize),
                Prot.READ | Prot.WRITE, kernel, -1, MapFlags.NONE, null);
        return v.isRight() ? v.get().value() : 0;
    }

    /**
     * {@code object_fetch}'s mapping of a fresh page: write-only with the user bit and offset 0 of
     * the kernel object, exactly the arguments Phoenix passes; its address, or 0.
     */
    long mapForFetch(int frame) {
        Either<VmError, VirtAddr> v = kmap.mmap(VirtAddr.NULL, new Frame(frame), Size.of(pageSize),
                Prot.WRITE | Prot.USER, kernel, 0, MapFlags.NONE, null);
        return v.isRight() ? v.get().value() : 0;
    }

    /** {@code amap_unmap}. */
    void unmap(long v) {
        kmap.munmap(VirtAddr.of(v), Size.of(pageSize));
    }

    /** {@code hal_memset(v, 0, SIZE_PAGE)}. */
    void zero(long v) {
        memory.fill(phys(v), pageSize, 0);
    }

    /** {@code hal_memcpy(to, from, SIZE_PAGE)}. */
    void copy(long from, long to) {
        memory.copy(phys(from), phys(to), pageSize);
    }

    /**
     * What {@code proc_read} does to the mapped page: the first {@code length} bytes of
     * {@code from} at {@code v}; the rest of the page is zeroed (see {@link ObjectStore}).
     */
    void fill(long v, byte[] from, int length) {
        long pa = phys(v);
        if (length > 0) {
            memory.write(pa, from, 0, length);
        }
        if (length < pageSize) {
            memory.fill(pa + length, pageSize - length, 0);
        }
    }

    private long phys(long v) {
        PhysAddr pa = kmap.pmap().resolve(VirtAddr.of(v));
        if (pa.isNone()) {
            throw new IllegalStateException(String.format("kernel mapping at 0x%08x resolves to nothing", v));
        }
        return pa.value();
    }
}
