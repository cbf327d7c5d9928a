package pvm.hal.pmap;

import java.util.List;

/**
 * A named memory map of the board (no-MMU targets; Phoenix's {@code syspage_map_t}): a range
 * processes can be given, such as ITCM, DTCM, OCRAM or DRAM. {@code [start, end)}.
 *
 * <p>{@code entries} are what the loader placed in the map before the kernel ran (the syspage's
 * {@code mapent_t} list): plo's {@code kernel} command adds one per {@code PT_LOAD} segment of the
 * kernel image, and {@code _map_mapsInit} enters each into the map so nothing is allocated on top of
 * it. The loader's temporary entries, which the kernel skips, are not listed.
 */
public record MemoryMapInfo(int id, String name, long start, long end, List<Entry> entries) {

    /** One {@code mapent_t}: {@code [start, end)} taken by the loader, and what it holds. */
    public record Entry(String what, long start, long end) {
    }

    public MemoryMapInfo {
        entries = List.copyOf(entries);
        for (Entry e : entries) {
            if (e.start() < start || e.end() > end || e.end() <= e.start()) {
                throw new IllegalArgumentException(String.format("loader entry %s [0x%x, 0x%x) is not inside map %s", e.what(), e.start(),
                        e.end(), name));
            }
        }
    }

    /** A map the loader left empty. */
    public MemoryMapInfo(int id, String name, long start, long end) {
        this(id, name, start, end, List.of());
    }

    public boolean contains(long addr) {
        return addr >= start && addr < end;
    }

    public long size() {
        return end - start;
    }
}
