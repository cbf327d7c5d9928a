package pvm.hal.pmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Phoenix's {@code page_t} array as parallel primitive arrays indexed by frame: one entry per
 * discovered physical page, in address order, with no object per page.
 *
 * <p>Per frame it holds the page's address (as a page number, so 32 bits cover 8 TiB of 4 KiB
 * pages), the list links {@code next}/{@code prev} the page allocator threads its free lists
 * through, the block order {@code idx} (log2 of the block size in bytes) and the flag byte
 * ({@link PageFlags}). That is {@value #BYTES_PER_FRAME} bytes of heap per frame.
 *
 * <p>Lookup by address ({@code page_get}) is O(1) in the number of frames: frames come in a few
 * contiguous runs (one per memory bank), and an address is found by a search over the runs.
 *
 * <p>Not thread-safe: the page allocator's lock guards it, as {@code pages_info.lock} does.
 */
public final class PageFrames {

    /** The index meaning "no frame", Phoenix's {@code NULL}. */
    public static final int NONE = -1;

    /** Eight flag bytes read and written as one {@code long}, for the block markings. */
    private static final VarHandle FLAGS8 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** A byte value times this repeats it in each byte of a {@code long}. */
    private static final long LANES = 0x0101_0101_0101_0101L;

    /** Heap bytes per frame: pfn 4, next 4, prev 4, idx 1, flags 1. */
    public static final int BYTES_PER_FRAME = 14;

    private final int pageSize;
    private final int pageShift;
    private final int[] pfn;
    private final int[] next;
    private final int[] prev;
    private final byte[] idx;
    private final byte[] flags;
    private int count;

    // Contiguous runs of frames: run r covers frames runFirst[r] .. runFirst[r]+runLength[r]-1,
    // whose page numbers start at runPfn[r].
    private int[] runPfn = new int[4];
    private int[] runFirst = new int[4];
    private int[] runLength = new int[4];
    private int runs;

    public PageFrames(int capacity, int pageSize) {
        if (Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pfn = new int[capacity];
        this.next = new int[capacity];
        this.prev = new int[capacity];
        this.idx = new byte[capacity];
        this.flags = new byte[capacity];
    }

    public int pageSize() {
        return pageSize;
    }

    public int pageShift() {
        return pageShift;
    }

    public int capacity() {
        return pfn.length;
    }

    /** Number of frames discovered so far: Phoenix's {@code totalsz / SIZE_PAGE}. */
    public int count() {
        return count;
    }

    /**
     * Appends a discovered page ({@code pmap_getPage} filled a {@code page_t}). Pages must come in
     * increasing address order, as discovery walks memory upwards.
     *
     * @return the new frame's index
     */
    public int add(long addr, int pageFlags) {
        // Discovery calls this once per page of RAM (a million times for 4 GiB), so the common case
        // is kept to a few stores and the rare ones (errors, a new run) are methods of their own:
        // small enough for the JIT to inline into the discovery loop.
        int f = count;
        int page = (int) (addr >>> pageShift);
        if (f == pfn.length || (f > 0 && Integer.compareUnsigned(page, pfn[f - 1]) <= 0)) {
            throw refused(addr);
        }
        count = f + 1;
        pfn[f] = page;
        flags[f] = (byte) pageFlags;
        idx[f] = 0;
        next[f] = NONE;
        prev[f] = NONE;
        int r = runs - 1;
        if (r >= 0 && runPfn[r] + runLength[r] == page) {
            runLength[r]++;
        } else {
            newRun(f, page);
        }
        return f;
    }

    /** Why {@link #add} refuses a page: the table is full, or the page is not above the last one. */
    private RuntimeException refused(long addr) {
        if (count == pfn.length) {
            return new IllegalStateException("page-frame table full at " + count + " frames");
        }
        return new IllegalArgumentException(String.format("frames out of order: 0x%x after 0x%x", addr, addr(count - 1)));
    }

    /** Starts run {@code runs} at frame {@code f}, page {@code page}. */
    private void newRun(int f, int page) {
        if (runs == runPfn.length) {
            runPfn = Arrays.copyOf(runPfn, runs * 2);
            runFirst = Arrays.copyOf(runFirst, runs * 2);
            runLength = Arrays.copyOf(runLength, runs * 2);
        }
        runPfn[runs] = page;
        runFirst[runs] = f;
        runLength[runs] = 1;
        runs++;
    }

    /** {@code page_get}: the frame holding {@code addr}, or {@link #NONE} outside discovered memory. */
    public int find(long addr) {
        long page = addr >>> pageShift;
        int lo = 0;
        int hi = runs - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long start = Integer.toUnsignedLong(runPfn[mid]);
            if (page < start) {
                hi = mid - 1;
            } else if (page >= start + runLength[mid]) {
                lo = mid + 1;
            } else {
                return runFirst[mid] + (int) (page - start);
            }
        }
        return NONE;
    }

    public long addr(int f) {
        return Integer.toUnsignedLong(pfn[f]) << pageShift;
    }

    public int flags(int f) {
        return flags[f] & 0xff;
    }

    public void setFlags(int f, int value) {
        flags[f] = (byte) value;
    }

    /**
     * Clears the free bit of frames {@code [from, from+n)} and ORs {@code bits} (one flag byte) into
     * their flags: {@code vm_pageAlloc}'s marking of every page of a block, which keeps each page's
     * other bits. Eight frames at a time where the block allows: a 64 KiB block is sixteen frames,
     * and a byte at a time the loop was a good part of an allocation.
     */
    public void markAllocated(int from, int n, int bits) {
        int i = from;
        int end = from + n;
        if (n >= 8 && from >= 0 && end > from && end <= flags.length) {
            long set = (bits & 0xffL) * LANES;
            long keep = ~(PageFlags.FREE * LANES);
            for (; i + 8 <= end; i += 8) {
                long v = (long) FLAGS8.get(flags, i);
                FLAGS8.set(flags, i, (v & keep) | set);
            }
        }
        for (; i < end; i++) {
            flags[i] = (byte) (((flags[i] & 0xff) & ~PageFlags.FREE) | bits);
        }
    }

    /** Sets the free bit of frames {@code [from, from+n)}: {@code vm_pageFree}'s marking, as {@link #markAllocated}. */
    public void markFree(int from, int n) {
        int i = from;
        int end = from + n;
        if (n >= 8 && from >= 0 && end > from && end <= flags.length) {
            long set = PageFlags.FREE * LANES;
            for (; i + 8 <= end; i += 8) {
                long v = (long) FLAGS8.get(flags, i);
                FLAGS8.set(flags, i, v | set);
            }
        }
        for (; i < end; i++) {
            flags[i] = (byte) ((flags[i] & 0xff) | PageFlags.FREE);
        }
    }

    public boolean isFree(int f) {
        return (flags[f] & PageFlags.FREE) != 0;
    }

    /** The block order: log2 of the size in bytes of the block this frame heads. */
    public int idx(int f) {
        return idx[f];
    }

    public void setIdx(int f, int order) {
        idx[f] = (byte) order;
    }

    public int next(int f) {
        return next[f];
    }

    public void setNext(int f, int n) {
        next[f] = n;
    }

    public int prev(int f) {
        return prev[f];
    }

    public void setPrev(int f, int p) {
        prev[f] = p;
    }

    /** Frames per block of order {@code order} ({@code (1 << idx) / SIZE_PAGE}). */
    public int framesIn(int order) {
        return order <= pageShift ? 1 : 1 << (order - pageShift);
    }

    /** Heap bytes this table takes: the figure behind "bytes per frame". */
    public long heapBytes() {
        return (long) pfn.length * BYTES_PER_FRAME + (long) runPfn.length * 12;
    }
}
