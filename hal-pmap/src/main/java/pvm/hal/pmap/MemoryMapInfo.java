package pvm.hal.pmap;

/**
 * A named memory map of the board (no-MMU targets; Phoenix's {@code syspage_map_t}): a range
 * processes can be given, such as ITCM, DTCM, OCRAM or DRAM. {@code [start, end)}.
 */
public record MemoryMapInfo(int id, String name, long start, long end) {

    public boolean contains(long addr) {
        return addr >= start && addr < end;
    }

    public long size() {
        return end - start;
    }
}
