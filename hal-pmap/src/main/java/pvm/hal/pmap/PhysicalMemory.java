package pvm.hal.pmap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A machine's physical memory: one off-heap {@link MemorySegment} spanning address 0 to the top of
 * RAM, laid out by the {@link BootMemoryMap}. Holes between banks are part of the segment's address
 * range but not RAM: every access is checked against the banks and an access outside them throws
 * {@link BusError}, so nothing silently wraps or lands in a hole.
 *
 * <p>Little-endian, as both simulated targets are. Thread-safe for distinct addresses; like real
 * RAM it gives no atomicity beyond a single aligned word.
 */
public final class PhysicalMemory {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private final BootMemoryMap map;
    private final MemorySegment ram;
    private final long[] bankStart;
    private final long[] bankEnd;
    /** The bank the last access fell in, tried first (see {@link #isRam}). */
    private int lastBank;

    public PhysicalMemory(BootMemoryMap map) {
        this.map = map;
        this.ram = HostMemory.reserve(Math.max(map.top(), 1));
        int n = map.banks().size();
        // At least one bank, so that the hint of isRam always indexes one (an empty [0, 0) one).
        this.bankStart = new long[Math.max(n, 1)];
        this.bankEnd = new long[Math.max(n, 1)];
        for (int i = 0; i < n; i++) {
            bankStart[i] = map.banks().get(i).start();
            bankEnd[i] = map.banks().get(i).end();
        }
    }

    public BootMemoryMap layout() {
        return map;
    }

    /** True when {@code [addr, addr+length)} lies inside one bank of RAM. */
    public boolean isRam(long addr, long length) {
        // Nearly every access lands in the bank the one before it did (a page-table walk, a page
        // copy): that bank is tried first. A hint only: any index in it is valid, so threads that
        // race on it cost each other a search, never a wrong answer.
        int hint = lastBank;
        if (addr >= bankStart[hint] && addr < bankEnd[hint]) {
            return length <= bankEnd[hint] - addr;
        }
        for (int i = 0; i < bankStart.length; i++) {
            if (addr >= bankStart[i] && addr < bankEnd[i]) {
                lastBank = i;
                return length <= bankEnd[i] - addr;
            }
        }
        return false;
    }

    /**
     * The bytes of {@code [addr, addr+length)} as a segment of their own, for a caller that reads
     * and writes the same small range very often (a kmalloc zone's free list): the range is checked
     * against the banks once, here, and each access then costs only the segment's own bounds check
     * instead of a search of the banks. Writes through it are writes to this memory.
     *
     * @throws BusError when the range is not inside one bank of RAM
     */
    public MemorySegment window(long addr, long length) {
        check(addr, length);
        return ram.asSlice(addr, length);
    }

    private void check(long addr, long length) {
        if (!isRam(addr, length)) {
            throw new BusError(addr, length, addr < 0 || addr >= map.top() ? "beyond the top of RAM" : "not RAM (a hole in the memory map)");
        }
    }

    public int read8(long addr) {
        check(addr, 1);
        return ram.get(ValueLayout.JAVA_BYTE, addr) & 0xff;
    }

    public int read16(long addr) {
        check(addr, 2);
        return ram.get(U16, addr) & 0xffff;
    }

    /** A 32-bit word, as an unsigned value. */
    public long read32(long addr) {
        check(addr, 4);
        return ram.get(U32, addr) & 0xffff_ffffL;
    }

    public long read64(long addr) {
        check(addr, 8);
        return ram.get(U64, addr);
    }

    public void write8(long addr, int value) {
        check(addr, 1);
        ram.set(ValueLayout.JAVA_BYTE, addr, (byte) value);
    }

    public void write16(long addr, int value) {
        check(addr, 2);
        ram.set(U16, addr, (short) value);
    }

    public void write32(long addr, long value) {
        check(addr, 4);
        ram.set(U32, addr, (int) value);
    }

    public void write64(long addr, long value) {
        check(addr, 8);
        ram.set(U64, addr, value);
    }

    /** Fills {@code [addr, addr+length)} with {@code value}, e.g. to zero a fresh page. */
    public void fill(long addr, long length, int value) {
        check(addr, length);
        ram.asSlice(addr, length).fill((byte) value);
    }

    /** Copies {@code length} bytes between two physical ranges (the copy-on-write page copy). */
    public void copy(long from, long to, long length) {
        check(from, length);
        check(to, length);
        MemorySegment.copy(ram, from, ram, to, length);
    }

    /**
     * Compares {@code [addr, addr+length)} with {@code length} bytes of {@code other} from
     * {@code otherOffset}: the offset of the first byte that differs, or -1 when none does.
     */
    public long mismatch(long addr, MemorySegment other, long otherOffset, long length) {
        check(addr, length);
        return MemorySegment.mismatch(ram, addr, addr + length, other, otherOffset, otherOffset + length);
    }

    /**
     * The offset of the first non-zero byte of {@code [addr, addr+length)}, or -1 when every byte is
     * zero: whether a page table maps nothing any more, whether the shared zero page is still zero.
     */
    public long firstNonZero(long addr, long length) {
        check(addr, length);
        long i = 0;
        while (i + 8 <= length && ram.get(U64, addr + i) == 0) {
            i += 8;
        }
        for (; i < length; i++) {
            if (ram.get(ValueLayout.JAVA_BYTE, addr + i) != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Copies bytes out to a host array (a backing-store read, a diagnostic dump). */
    public void read(long addr, byte[] into, int offset, int length) {
        check(addr, length);
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, addr, into, offset, length);
    }

    /** Copies bytes in from a host array (a backing-store fetch into a fresh page). */
    public void write(long addr, byte[] from, int offset, int length) {
        check(addr, length);
        MemorySegment.copy(from, offset, ram, ValueLayout.JAVA_BYTE, addr, length);
    }
}
