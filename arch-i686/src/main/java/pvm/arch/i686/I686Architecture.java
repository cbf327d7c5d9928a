package pvm.arch.i686;

import static pvm.arch.i686.LoaderLayout.ADDR_BDA;
import static pvm.arch.i686.LoaderLayout.ADDR_EBDA;
import static pvm.arch.i686.LoaderLayout.ADDR_GDT;
import static pvm.arch.i686.LoaderLayout.ADDR_IDT;
import static pvm.arch.i686.LoaderLayout.ADDR_PDIR;
import static pvm.arch.i686.LoaderLayout.ADDR_PTABLE;
import static pvm.arch.i686.LoaderLayout.ADDR_STACK;
import static pvm.arch.i686.LoaderLayout.ADDR_SYSPAGE;
import static pvm.arch.i686.Paging.SIZE_PAGE;

import com.google.inject.Module;
import java.util.List;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Policy;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.TargetAbi;

/**
 * The i686 PC target (Phoenix-RTOS {@code hal/ia32}), found with {@link java.util.ServiceLoader}.
 *
 * <p>RAM: 128 MiB by default, 4 GiB at most (the 32-bit physical address space without PAE).
 * At least 4 MiB: the boot code ({@code _init.S}) maps the first 4 MiB of physical memory with one
 * page table and {@code _pmap_init} trims that mapping up to {@code VADDR_KERNEL + 4 MiB}, so the
 * boot path takes those 4 MiB to exist; they hold the loader's structures, the kernel image
 * (1 MiB + ~360 KiB) and leave about 2.5 MiB for the page allocator.
 */
public final class I686Architecture implements Architecture {

    static final long DEFAULT_RAM = 128L << 20;
    static final long MIN_RAM = 4L << 20;
    static final long MAX_RAM = 4L << 30;

    /** A public no-argument constructor, as {@link java.util.ServiceLoader} needs. */
    public I686Architecture() {
    }

    @Override
    public String name() {
        return "i686";
    }

    @Override
    public String description() {
        return "Intel i686 PC (Phoenix hal/ia32): two-level paging, 4 KiB pages, kernel at 0xc0000000, TLB, #PF";
    }

    @Override
    public int pageSize() {
        return SIZE_PAGE;
    }

    @Override
    public boolean hasMmu() {
        return true;
    }

    /**
     * The i386 System V ABI as Phoenix's ia32 build lays its structures out (4-byte pointers, 64-bit
     * members 4-aligned inside a struct):
     *
     * <ul>
     *   <li>{@code page_t}: addr, next, prev (4 each), idx and flags (1 each), padded to 16.</li>
     *   <li>{@code map_entry_t}: the rb node (parent, left, right, colour: 16), map, aoffs, amap,
     *       vaddr, size, lmaxgap, rmaxgap (28), flags, prot, protOrig (3, padded to 4), object (4)
     *       and the u64 offs (8, 4-aligned) = 60.</li>
     *   <li>{@code vm_map_t}: {@code pmap_t} (pdir, cr3, start, end, pmapv, pmapp: 24), start and stop
     *       (8), {@code rbtree_t} (root, compare, augment: 12) and {@code lock_t} = 124.</li>
     *   <li>{@code lock_t} ({@code proc/lock.h}): the {@code spinlock_t} (name, four {@code cycles_t}
     *       4-aligned, next, prev and the lock word: 48), then owner, queue, prev, next, name, attr,
     *       depth, epoch (32) = 80.</li>
     *   <li>{@code amap_t}: the lock, {@code size_t size}, {@code int refs} = 88, then 4 per slot;
     *       {@code anon_t}: the lock, {@code int refs}, {@code page_t *page} = 88.</li>
     *   <li>{@code vm_object_t}: the rb node (16), the oid ({@code u32 port}, {@code u64 id}
     *       4-aligned: 12), refs, size (8) = 36, then 4 per page.</li>
     * </ul>
     */
    static final TargetAbi ABI = new TargetAbi(4, 16, 60, 124, 80, 88, 88, 36);

    /** {@code pmap_marker}'s letters: one row per owner (boot, kernel, app, the fourth value), one letter per kernel use. */
    private static final String[] MARKSETS = {"BBBBBBBBBBBBBBBB", "KYCPMSHKKKKKKKKK", "AAAAAAAAAAAAAAAA", "UUUUUUUUUUUUUUUU"};

    @Override
    public TargetAbi abi() {
        return ABI;
    }

    /**
     * {@code pmap_marker} of {@code hal/ia32/pmap.c}: '.' for a free page, else a letter by owner and
     * kernel use ({@code K} plain, {@code Y} syspage, {@code C} cpu, {@code P} page table,
     * {@code M} pmap, {@code S} stack, {@code H} heap). Phoenix indexes by two owner bits only, so
     * owner values 4..7 fold onto 0..3.
     */
    @Override
    public char marker(int pageFlags) {
        if ((pageFlags & PageFlags.FREE) != 0) {
            return '.';
        }
        return MARKSETS[(pageFlags >> 1) & 3].charAt((pageFlags >> 4) & 0xf);
    }

    @Override
    public AddressLayout layout() {
        return new AddressLayout(0, Paging.VADDR_KERNEL, Paging.VADDR_KERNEL, Paging.ADDRESS_SPACE_END);
    }

    @Override
    public long defaultRam() {
        return DEFAULT_RAM;
    }

    @Override
    public long minRam() {
        return MIN_RAM;
    }

    @Override
    public long maxRam() {
        return MAX_RAM;
    }

    /**
     * The PC memory map of a machine with {@code ramBytes} of RAM: 640 KiB of conventional memory,
     * the video and ROM hole up to 1 MiB, then extended memory up to {@code ramBytes} (the hole
     * costs 384 KiB of RAM, as on a real PC). Taken ranges are what {@code _hal_configMemoryInit}
     * adds to {@code hal_config.memMap}, at the addresses {@link LoaderLayout} gives; listed in
     * address order (Phoenix adds them in another order, but none overlaps, so which matches first
     * does not matter).
     *
     * @throws IllegalArgumentException outside {@link #minRam()}..{@link #maxRam()} or not whole
     *     pages; {@link #validate} says so as a value
     */
    @Override
    public BootMemoryMap bootMemoryMap(long ramBytes) {
        if (ramBytes < MIN_RAM || ramBytes > MAX_RAM || !Sizes.isAligned(ramBytes, SIZE_PAGE)) {
            throw new IllegalArgumentException(String.format("i686 needs %s..%s of RAM in whole pages, got %d bytes",
                    Sizes.human(MIN_RAM), Sizes.human(MAX_RAM), ramBytes));
        }
        List<BootMemoryMap.Bank> banks = List.of(
                new BootMemoryMap.Bank("conventional", 0, LoaderLayout.CONVENTIONAL_END),
                new BootMemoryMap.Bank("extended", LoaderLayout.EXTENDED_START, ramBytes));
        int kernel = PageFlags.OWNER_KERNEL;
        long kernelEnd = LoaderLayout.PKERNEL + (LoaderLayout.END - (Paging.VADDR_KERNEL + LoaderLayout.PKERNEL));
        List<BootMemoryMap.Taken> taken = List.of(
                new BootMemoryMap.Taken("BIOS data area", ADDR_BDA, ADDR_BDA + SIZE_PAGE, kernel),
                new BootMemoryMap.Taken("GDT and IDT", ADDR_GDT, ADDR_IDT + LoaderLayout.SIZE_IDT, kernel | PageFlags.KERNEL_CPU),
                new BootMemoryMap.Taken("syspage", ADDR_SYSPAGE, ADDR_SYSPAGE + SIZE_PAGE, kernel | PageFlags.KERNEL_SYSPAGE),
                new BootMemoryMap.Taken("page directory", ADDR_PDIR, ADDR_PDIR + SIZE_PAGE, kernel | PageFlags.KERNEL_PTABLE),
                new BootMemoryMap.Taken("page table", ADDR_PTABLE, ADDR_PTABLE + SIZE_PAGE, kernel | PageFlags.KERNEL_PTABLE),
                new BootMemoryMap.Taken("kernel stack", ADDR_STACK - LoaderLayout.SIZE_STACK, ADDR_STACK, kernel | PageFlags.KERNEL_STACK),
                new BootMemoryMap.Taken("EBDA", ADDR_EBDA, ADDR_EBDA + (long) LoaderLayout.EBDA_PAGES * SIZE_PAGE, PageFlags.OWNER_BOOT),
                new BootMemoryMap.Taken("kernel image", LoaderLayout.PKERNEL, Sizes.alignUp(kernelEnd, SIZE_PAGE), kernel));
        return new BootMemoryMap(banks, taken);
    }

    @Override
    public List<Policy<?>> policies() {
        return List.of(NonePages.POLICY);
    }

    @Override
    public Module module(MachineConfig config) {
        return new I686Module(this, config);
    }

    @Override
    public String toString() {
        return "I686Architecture";
    }
}
