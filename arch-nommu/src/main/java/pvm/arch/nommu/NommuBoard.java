package pvm.arch.nommu;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.Sizes;

/**
 * The simulated board: an i.MX RT1064-like Cortex-M7 with the memory maps a Phoenix-RTOS
 * {@code armv7m7-imxrt106x} build gets from its loader's syspage, and where the kernel image lies
 * in them. Everything here is fixed by the board and the kernel's linker script, except the size of
 * the external SDRAM, which the machine is configured with.
 *
 * <p>Memory maps, in address order; the id is the map's position in the syspage list and, here, the
 * number of the one MPU region that covers it:
 * <pre>
 *   id name   start       size          what
 *   0  itcm   0x00000000  160 KiB       FlexRAM as ITCM (5 banks of 32 KiB); kernel code at its start
 *   1  dtcm   0x20000000  352 KiB       FlexRAM as DTCM (11 banks); kernel data, .bss, syspage, then
 *                                       the kernel heap and the page allocator's pages
 *   2  ocram  0x20200000  512 KiB       on-chip OCRAM2
 *   3  dram   0x80000000  configurable  SEMC SDRAM, 8 MiB by default, 1 MiB .. 64 MiB
 * </pre>
 * The 5/11 FlexRAM split is Phoenix's default ({@code FLEXRAM_ITCM_BANKS}, {@code FLEXRAM_DTCM_BANKS}
 * in its imxrt106x linker template). The FlexSPI flash at 0x70000000 is left out: it is not RAM and
 * nothing in the memory manager allocates from it.
 *
 * <p>The kernel image as Phoenix's ARM linker script lays it out, with the imxrt aliases
 * ({@code KERNEL_IMAGE} = ITCM, {@code DATA} = {@code BSS} = {@code SYSPAGE} = DTCM):
 * <pre>
 *   0x00000000 .. 0x0001c000  .init, .text, .rodata (112 KiB) in ITCM
 *   0x20000000 .. 0x20001000  .data                  (4 KiB)
 *   0x20001000 .. 0x20006c00  .bss                   (23 KiB)   __bss_start .. __bss_end
 *   0x20006c00 .. 0x20007b00  .syspage               (3840 B)   ends at _end
 *   0x20007b00 .. 0x20008000  boot stack             (1280 B)   the vector table's initial SP is _end + 1024 + 256
 *   0x20008000 .. 0x20008200  first page of kernel heap          _pmap_init: vstart = SP rounded up to 8, vend = vstart + page
 *   0x20008000 .. 0x20058000  the pages of page-nommu.c's queue   (640 pages of 512 B)
 * </pre>
 * The loader ({@code plo}'s {@code kernel} command) records one syspage entry per {@code PT_LOAD}
 * segment of the image: the text in ITCM, and in DTCM one segment holding {@code .data}, {@code .bss}
 * and {@code .syspage} (sections without file contents still extend the segment's size), which ends at
 * {@code _end}. The kernel enters both into its maps at boot, so nothing is allocated over the image.
 *
 * <p>The queue starts at the heap's start, not its end, because {@code _page_init} sizes the queue as
 * {@code map->end - bss} with {@code bss} the heap start: on no-MMU a queue page carries no address
 * and the heap simply grows over the memory the queue counts, so Phoenix counts the heap's first page
 * in both. We keep its count.
 */
final class NommuBoard {

    static final int PAGE_SIZE = 512;

    static final long ITCM_START = 0x0000_0000L;
    static final long ITCM_SIZE = 160 * 1024;
    static final long DTCM_START = 0x2000_0000L;
    static final long DTCM_SIZE = 352 * 1024;
    static final long OCRAM_START = 0x2020_0000L;
    static final long OCRAM_SIZE = 512 * 1024;
    static final long DRAM_START = 0x8000_0000L;

    static final long DRAM_DEFAULT = 8L << 20;
    static final long DRAM_MIN = 1L << 20;
    static final long DRAM_MAX = 64L << 20;

    /** Map ids: positions in the syspage's map list. */
    static final int ITCM = 0;
    static final int DTCM = 1;
    static final int OCRAM = 2;
    static final int DRAM = 3;

    static final long TEXT_START = ITCM_START;
    static final long TEXT_END = 0x0001_c000L;
    static final long DATA_START = DTCM_START;
    /** {@code __bss_start}: the kernel pmap's start and the address page-nommu.c finds the kernel map by. */
    static final long BSS_START = 0x2000_1000L;
    static final long BSS_END = 0x2000_6c00L;
    static final long SYSPAGE_START = BSS_END;
    static final long SYSPAGE_END = 0x2000_7b00L;
    /** {@code _end}: one past the image; {@code pmap_segment} reports the kernel's memory from here. */
    static final long IMAGE_END = SYSPAGE_END;
    /** The vector table's first word, {@code _end + 1024 + 256}: the boot stack's top. */
    static final long INITIAL_SP = IMAGE_END + 1024 + 256;
    /** How far {@code _pmap_init} first lets the kernel pmap reach above {@code __bss_start}. */
    static final long KERNEL_PMAP_WINDOW = 32 * 1024;

    /** The kernel heap's first bounds, as {@code _pmap_init} sets {@code vstart}/{@code vend}. */
    static final long HEAP_START = Sizes.alignUp(INITIAL_SP, 8);
    static final long HEAP_END = HEAP_START + PAGE_SIZE;

    private final long dramBytes;
    private final List<MemoryMapInfo> maps;
    // The same maps as primitive arrays, for the allocation-free lookups on every access.
    private final long[] mapStart;
    private final long[] mapEnd;

    NommuBoard(long dramBytes) {
        if (dramBytes < DRAM_MIN || dramBytes > DRAM_MAX || dramBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException(String.format("SDRAM must be a whole number of %d-byte pages between %s and %s, got %d bytes",
                    PAGE_SIZE, Sizes.human(DRAM_MIN), Sizes.human(DRAM_MAX), dramBytes));
        }
        this.dramBytes = dramBytes;
        this.maps = List.of(
                new MemoryMapInfo(ITCM, "itcm", ITCM_START, ITCM_START + ITCM_SIZE,
                        List.of(new MemoryMapInfo.Entry("kernel text", TEXT_START, TEXT_END))),
                new MemoryMapInfo(DTCM, "dtcm", DTCM_START, DTCM_START + DTCM_SIZE,
                        List.of(new MemoryMapInfo.Entry("kernel data", DATA_START, IMAGE_END))),
                new MemoryMapInfo(OCRAM, "ocram", OCRAM_START, OCRAM_START + OCRAM_SIZE),
                new MemoryMapInfo(DRAM, "dram", DRAM_START, DRAM_START + dramBytes));
        this.mapStart = new long[maps.size()];
        this.mapEnd = new long[maps.size()];
        for (MemoryMapInfo m : maps) {
            mapStart[m.id()] = m.start();
            mapEnd[m.id()] = m.end();
        }
    }

    long dramBytes() {
        return dramBytes;
    }

    List<MemoryMapInfo> maps() {
        return maps;
    }

    int mapCount() {
        return mapStart.length;
    }

    MemoryMapInfo map(int id) {
        return maps.get(id);
    }

    long mapStart(int id) {
        return mapStart[id];
    }

    long mapEnd(int id) {
        return mapEnd[id];
    }

    /** {@code syspage_mapAddrResolve}: the id of the map holding {@code addr}, or -1 where none does. */
    int mapOf(long addr) {
        for (int i = 0; i < mapStart.length; i++) {
            if (addr >= mapStart[i] && addr < mapEnd[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code pmap_map2region}: the MPU region bits that cover map {@code id}, 0 for an unknown id.
     * One region per map, region number = map id (Phoenix lets the loader assign several regions to
     * one map, or none; the i.MX RT maps here each fit one region).
     */
    int regionMask(int id) {
        return id >= 0 && id < mapStart.length ? 1 << id : 0;
    }

    /** Every map's region: what the kernel's own address space may touch. */
    int allRegions() {
        return (1 << mapStart.length) - 1;
    }

    /** The map holding {@code __bss_start}: the kernel's map, as {@code _page_init} finds it. */
    int kernelMap() {
        return mapOf(BSS_START);
    }

    /** The map the kernel executes from (the one {@code _pmap_init} finds with the PC). */
    int kernelCodeMap() {
        return mapOf(TEXT_START);
    }

    /**
     * Whether unprivileged code may write map {@code id}: every map but the kernel's code. Its MPU
     * region is in every process's set ({@code pmap_create}'s {@code kernelCodeRegion}, so that a
     * process can run the kernel's return-to-user code), and its attributes are those plo's
     * {@code mpu_regionAttrs} gives a map the board's loader script declares {@code rx}: AP=2
     * (privileged read-write, unprivileged read-only) with execution allowed. That is the least a
     * process needs there; Phoenix takes the attributes from the project's script, and a script
     * declaring the ITCM {@code rwx} would let user code overwrite the kernel.
     */
    boolean userWritable(int id) {
        return id != kernelCodeMap();
    }

    /** First address of the page allocator's pages: the kernel heap's start, page-aligned. */
    long poolStart() {
        return Sizes.alignUp(HEAP_START, PAGE_SIZE);
    }

    /** One past the page allocator's last page: the end of the kernel's map. */
    long poolEnd() {
        return Sizes.alignDown(mapEnd[kernelMap()], PAGE_SIZE);
    }

    int poolPages() {
        return (int) ((poolEnd() - poolStart()) / PAGE_SIZE);
    }

    /** The loader's view: one bank per memory map; the image and the syspage taken. */
    BootMemoryMap bootMemoryMap() {
        List<BootMemoryMap.Bank> banks = new ArrayList<>();
        for (MemoryMapInfo m : maps) {
            banks.add(new BootMemoryMap.Bank(m.name(), m.start(), m.end()));
        }
        List<BootMemoryMap.Taken> taken = List.of(
                new BootMemoryMap.Taken("kernel code", TEXT_START, TEXT_END, PageFlags.OWNER_KERNEL),
                new BootMemoryMap.Taken("kernel data and bss", DATA_START, BSS_END, PageFlags.OWNER_KERNEL),
                new BootMemoryMap.Taken("syspage", SYSPAGE_START, SYSPAGE_END, PageFlags.OWNER_BOOT | PageFlags.KERNEL_SYSPAGE),
                new BootMemoryMap.Taken("boot stack", IMAGE_END, INITIAL_SP, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_STACK));
        return new BootMemoryMap(banks, taken);
    }
}
