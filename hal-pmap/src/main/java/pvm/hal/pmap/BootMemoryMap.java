package pvm.hal.pmap;

import java.util.List;

/**
 * What the loader tells the kernel about physical memory (Phoenix's syspage maps and the HAL's
 * memory entries): the banks of RAM, and the ranges inside them that are already taken at boot,
 * each with the page flags its pages start with.
 *
 * @param banks RAM banks in increasing address order, not overlapping
 * @param taken ranges already owned at boot (BIOS data, page directory, kernel image, ...)
 */
public record BootMemoryMap(List<Bank> banks, List<Taken> taken) {

    public BootMemoryMap {
        banks = List.copyOf(banks);
        taken = List.copyOf(taken);
        for (int i = 1; i < banks.size(); i++) {
            if (banks.get(i).start() < banks.get(i - 1).end()) {
                throw new IllegalArgumentException("banks overlap or are out of order: " + banks);
            }
        }
    }

    /** One contiguous range of RAM, {@code [start, end)}. */
    public record Bank(String name, long start, long end) {
        public Bank {
            if (end <= start || start < 0) {
                throw new IllegalArgumentException("empty or negative bank " + name);
            }
        }

        public long size() {
            return end - start;
        }
    }

    /** A range taken before the kernel's allocator exists, {@code [start, end)}, with its page flags. */
    public record Taken(String what, long start, long end, int pageFlags) {
    }

    /** Address one past the highest byte of RAM. */
    public long top() {
        return banks.isEmpty() ? 0 : banks.getLast().end();
    }

    /** Bytes of RAM over all banks. */
    public long ramBytes() {
        long sum = 0;
        for (Bank b : banks) {
            sum += b.size();
        }
        return sum;
    }

    /** The bank holding {@code addr}, or {@code null} where there is none. */
    public Bank bankOf(long addr) {
        for (Bank b : banks) {
            if (addr >= b.start() && addr < b.end()) {
                return b;
            }
        }
        return null;
    }
}
