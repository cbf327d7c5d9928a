package pvm.arch.riscv64;

import static pvm.arch.riscv64.Sv39.SIZE_PAGE;

import com.google.inject.Module;
import java.util.List;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Policy;
import pvm.hal.pmap.TargetAbi;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.Sizes;

/**
 * The riscv64 target (Phoenix-RTOS {@code hal/riscv64}) on QEMU's {@code virt} board, found with
 * {@link java.util.ServiceLoader}.
 *
 * <p>RAM: 128 MiB by default (QEMU's default for {@code virt}), up to 16 GiB, so physical addresses
 * run from {@code 0x80000000} past 4 GiB. At least 8 MiB: the firmware takes the first 2 MiB, the
 * boot code maps the 2 MiB from the kernel's load address, and the device tree sits 2 MiB-aligned
 * below the top.
 */
public final class Riscv64Architecture implements Architecture {

    static final long DEFAULT_RAM = 128L << 20;
    static final long MIN_RAM = 8L << 20;
    static final long MAX_RAM = 16L << 30;

    /** A public no-argument constructor, as {@link java.util.ServiceLoader} needs. */
    public Riscv64Architecture() {
    }

    @Override
    public String name() {
        return "riscv64";
    }

    @Override
    public String description() {
        return "RISC-V 64 on QEMU virt (Phoenix hal/riscv64): Sv39 three-level paging, 4 KiB pages, kernel at 0x3fc0000000, TLB, scause/stval faults";
    }

    @Override
    public int pageSize() {
        return SIZE_PAGE;
    }

    @Override
    public boolean hasMmu() {
        return true;
    }

    /** User space {@code [0, VADDR_KERNEL)}, kernel space {@code [VADDR_KERNEL, 2^38)}: the lower canonical half. */
    @Override
    public AddressLayout layout() {
        return new AddressLayout(0, Sv39.VADDR_USR_MAX, Sv39.VADDR_KERNEL, Sv39.LOWER_HALF_END);
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
     * The {@code virt} memory map of a machine with {@code ramBytes} of DRAM: one bank from
     * {@code 0x80000000}. Taken ranges are what {@code pmap_getPage} finds already in use, most
     * specific first: the boot page tables, the initial stacks and the page-table window inside the
     * kernel image, the rest of the image, and the device tree. (Phoenix compares those addresses in
     * the image against physical pages but takes them as linked, at {@code VADDR_KERNEL}, so on
     * Phoenix they never match and every image page shows as {@code K}; and it records the device
     * tree by its offset in the gigapage rather than its address, so its pages show as free. Here
     * they are marked as intended.) The firmware's 2 MiB are listed for the record: discovery skips
     * them.
     *
     * @throws IllegalArgumentException outside {@link #minRam()}..{@link #maxRam()} or not whole
     *     pages; {@link #validate} says so as a value
     */
    @Override
    public BootMemoryMap bootMemoryMap(long ramBytes) {
        if (ramBytes < MIN_RAM || ramBytes > MAX_RAM || !Sizes.isAligned(ramBytes, SIZE_PAGE)) {
            throw new IllegalArgumentException(String.format("riscv64 needs %s..%s of RAM in whole pages, got %d bytes",
                    Sizes.human(MIN_RAM), Sizes.human(MAX_RAM), ramBytes));
        }
        int kernel = PageFlags.OWNER_KERNEL;
        long dtb = VirtBoard.dtbAddress(ramBytes);
        List<BootMemoryMap.Taken> taken = List.of(
                new BootMemoryMap.Taken("OpenSBI firmware", VirtBoard.SBI_AREA_START, VirtBoard.SBI_AREA_END, PageFlags.OWNER_BOOT),
                new BootMemoryMap.Taken("boot page tables", VirtBoard.phys(VirtBoard.PDIR2), VirtBoard.phys(VirtBoard.STACK),
                        kernel | PageFlags.KERNEL_PTABLE),
                new BootMemoryMap.Taken("initial kernel stacks", VirtBoard.phys(VirtBoard.STACK), VirtBoard.phys(VirtBoard.HEAP),
                        kernel | PageFlags.KERNEL_STACK),
                new BootMemoryMap.Taken("page-table window", VirtBoard.phys(VirtBoard.PTABLE), VirtBoard.phys(VirtBoard.PTABLE) + SIZE_PAGE,
                        kernel | PageFlags.KERNEL_PTABLE),
                new BootMemoryMap.Taken("kernel image", VirtBoard.KERNEL_START, VirtBoard.KERNEL_START + VirtBoard.kernelSize(), kernel),
                new BootMemoryMap.Taken("device tree", dtb, dtb + VirtBoard.DTB_SIZE, PageFlags.OWNER_BOOT));
        return new BootMemoryMap(List.of(new BootMemoryMap.Bank("DRAM", VirtBoard.DRAM_BASE, VirtBoard.DRAM_BASE + ramBytes)), taken);
    }

    /** LP64 sizes of Phoenix's structures ({@link Riscv64Abi} counts them). */
    static final TargetAbi ABI = new TargetAbi(Riscv64Abi.POINTER, Riscv64Abi.PAGE_T, Riscv64Abi.MAP_ENTRY, Riscv64Abi.VM_MAP,
            Riscv64Abi.LOCK, Riscv64Abi.AMAP, Riscv64Abi.ANON, Riscv64Abi.OBJECT);

    @Override
    public TargetAbi abi() {
        return ABI;
    }

    /** {@code pmap_marker} of {@code hal/riscv64} ({@link PageMarkers}). */
    @Override
    public char marker(int pageFlags) {
        return PageMarkers.marker(pageFlags);
    }

    @Override
    public List<Policy<?>> policies() {
        return List.of(Pbmt.POLICY);
    }

    @Override
    public Module module(MachineConfig config) {
        return new Riscv64Module(this, config);
    }

    @Override
    public String toString() {
        return "Riscv64Architecture";
    }
}
