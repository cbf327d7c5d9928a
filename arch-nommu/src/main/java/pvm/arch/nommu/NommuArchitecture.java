package pvm.arch.nommu;

import com.google.inject.Module;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.TargetAbi;

/**
 * The no-MMU target: Phoenix-RTOS on an ARMv7-M (Cortex-M7) part with an MPU, modelled on an
 * i.MX RT1064 board ({@code hal/armv7m}). There is no address translation: a virtual address is the
 * physical one, every process lives in the same address space, and what a process may touch is the
 * set of named memory maps (ITCM, DTCM, OCRAM, DRAM) the MPU enables for it. Pages are 512 bytes and
 * are handed out by page-nommu.c's queue allocator.
 *
 * <p>The configured RAM is the external SDRAM (the {@code dram} map): 8 MiB by default, between
 * 1 MiB and 64 MiB; the on-chip maps have fixed sizes. {@link NommuBoard} lists every address.
 *
 * <p>Stateless: a machine's state lives in the {@link NommuHal} its {@link #module} binds, so one
 * instance serves any number of machines.
 */
public final class NommuArchitecture implements Architecture {

    /** Every address is both user and kernel: the whole 32-bit space, {@code [0, 2^32)}. */
    private static final AddressLayout LAYOUT = new AddressLayout(0, 1L << 32, 0, 1L << 32);

    /** For {@link java.util.ServiceLoader}. */
    public NommuArchitecture() {
    }

    @Override
    public String name() {
        return "nommu";
    }

    @Override
    public String description() {
        return "Cortex-M7 without MMU (i.MX RT1064-like): 512 B pages, virtual = physical, "
                + "ITCM/DTCM/OCRAM on chip + SDRAM, one MPU region per memory map";
    }

    @Override
    public int pageSize() {
        return NommuBoard.PAGE_SIZE;
    }

    @Override
    public boolean hasMmu() {
        return false;
    }

    /**
     * The AAPCS as Phoenix's armv7m build lays its structures out (4-byte pointers, 64-bit members
     * 8-aligned, {@code id_t} a {@code u32}):
     *
     * <ul>
     *   <li>{@code page_t}: addr (4), idx (1, padded to 2), flags (2), next (4) = 12.</li>
     *   <li>{@code map_entry_t} (NOMMU): the rb node (16), the process list links next and prev and
     *       the process (12), map, aoffs, amap, vaddr, size, lmaxgap, rmaxgap (28), flags, prot,
     *       protOrig (4), object (4), then offs 8-aligned (64..72) = 72.</li>
     *   <li>{@code vm_map_t}: {@code pmap_t} (start, end, regions: 12), start, stop (8),
     *       {@code rbtree_t} (12) and {@code lock_t} (48) = 80.</li>
     *   <li>{@code lock_t}: the arm {@code spinlock_t} (the lock byte padded to 4, name, next, prev:
     *       16), then eight words (32) = 48.</li>
     *   <li>{@code amap_t} and {@code anon_t}: the lock and two words = 56.</li>
     *   <li>{@code vm_object_t}: the rb node (16), the oid (port, id: 8), refs, size (8) = 32.</li>
     * </ul>
     */
    static final TargetAbi ABI = new TargetAbi(4, 12, 72, 80, 48, 56, 56, 32);

    @Override
    public TargetAbi abi() {
        return ABI;
    }

    /** {@code pmap_marker}: no-MMU Phoenix has no page map to mark. */
    @Override
    public char marker(int pageFlags) {
        return ' ';
    }

    @Override
    public AddressLayout layout() {
        return LAYOUT;
    }

    @Override
    public long defaultRam() {
        return NommuBoard.DRAM_DEFAULT;
    }

    @Override
    public long minRam() {
        return NommuBoard.DRAM_MIN;
    }

    @Override
    public long maxRam() {
        return NommuBoard.DRAM_MAX;
    }

    /**
     * One bank per memory map, with {@code ramBytes} of SDRAM; taken: the kernel's code (ITCM), its
     * data and bss (DTCM), the syspage and the boot stack.
     *
     * @throws IllegalArgumentException where {@link #validate} would refuse {@code ramBytes}
     */
    @Override
    public BootMemoryMap bootMemoryMap(long ramBytes) {
        return new NommuBoard(ramBytes).bootMemoryMap();
    }

    @Override
    public Module module(MachineConfig config) {
        return new NommuModule(this, config);
    }

    @Override
    public String toString() {
        return name();
    }
}
