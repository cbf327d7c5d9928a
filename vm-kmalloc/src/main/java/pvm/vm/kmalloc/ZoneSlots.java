package pvm.vm.kmalloc;

import java.util.Arrays;
import pvm.vm.zone.VmZone;

/**
 * kmalloc's zones as a table of slots, struct-of-arrays: per slot the {@link VmZone}, the list links
 * Phoenix keeps in {@code vm_zone_t.next/prev} (the zone is on {@code sizes[idx]} or on
 * {@code used}), the address of the header block its {@code vm_zone_t} occupies, a bitmap of
 * allocated blocks and, for header-class zones, a bitmap of the blocks that hold zone headers.
 *
 * <p>The bitmap is an addition: Phoenix cannot tell an allocated block from a free one, so a second
 * {@code vm_kfree} of a block links it into the free list twice and later hands it out twice. One bit
 * per block on the Java heap (not in simulated RAM: the kernel's memory use stays Phoenix's) lets
 * {@code kfree} refuse that, and a pointer into the middle of a free block, without changing
 * anything; the header marks let it refuse a free of a live zone's own header.
 *
 * <p>Free slots are kept on a stack threaded through {@code next}. The arrays grow (allocate) only
 * when a zone is added. Guarded by kmalloc's lock.
 */
final class ZoneSlots {

    static final int NONE = -1;

    VmZone[] zone;
    int[] next;
    int[] prev;
    long[] hdr;
    long[][] bitmap;
    /** Per slot, which blocks hold the {@code vm_zone_t} of another zone (header-class zones only). */
    long[][] headers;
    private int freeSlot = NONE;
    private int count;
    private int live;

    ZoneSlots(int capacity) {
        zone = new VmZone[capacity];
        next = new int[capacity];
        prev = new int[capacity];
        hdr = new long[capacity];
        bitmap = new long[capacity][];
        headers = new long[capacity][];
    }

    /** Number of slots ever handed out, live or free: the range to walk. */
    int count() {
        return count;
    }

    /** Number of live zones. */
    int live() {
        return live;
    }

    /** A slot for {@code z}, whose {@code vm_zone_t} sits in header block {@code header} (0 for none). */
    int add(VmZone z, long header) {
        int s;
        if (freeSlot != NONE) {
            s = freeSlot;
            freeSlot = next[s];
        } else {
            if (count == zone.length) {
                int n = zone.length * 2;
                zone = Arrays.copyOf(zone, n);
                next = Arrays.copyOf(next, n);
                prev = Arrays.copyOf(prev, n);
                hdr = Arrays.copyOf(hdr, n);
                bitmap = Arrays.copyOf(bitmap, n);
                headers = Arrays.copyOf(headers, n);
            }
            s = count++;
        }
        zone[s] = z;
        next[s] = NONE;
        prev[s] = NONE;
        hdr[s] = header;
        bitmap[s] = new long[(z.blocks() + 63) >>> 6];
        headers[s] = null;
        live++;
        return s;
    }

    /** Gives slot {@code s} back; its zone must be off every list. */
    void remove(int s) {
        zone[s] = null;
        bitmap[s] = null;
        headers[s] = null;
        hdr[s] = 0;
        prev[s] = NONE;
        next[s] = freeSlot;
        freeSlot = s;
        live--;
    }

    boolean isAllocated(int s, int block) {
        return (bitmap[s][block >>> 6] & (1L << block)) != 0;
    }

    void setAllocated(int s, int block) {
        bitmap[s][block >>> 6] |= 1L << block;
    }

    void clearAllocated(int s, int block) {
        bitmap[s][block >>> 6] &= ~(1L << block);
    }

    /** Whether block {@code block} of slot {@code s} holds a zone's header. */
    boolean isHeader(int s, int block) {
        long[] h = headers[s];
        return h != null && (h[block >>> 6] & (1L << block)) != 0;
    }

    void setHeader(int s, int block, boolean header) {
        if (headers[s] == null) {
            headers[s] = new long[bitmap[s].length];
        }
        if (header) {
            headers[s][block >>> 6] |= 1L << block;
        } else {
            headers[s][block >>> 6] &= ~(1L << block);
        }
    }

    /** Number of header marks of slot {@code s}. */
    int headerCount(int s) {
        int n = 0;
        if (headers[s] != null) {
            for (long w : headers[s]) {
                n += Long.bitCount(w);
            }
        }
        return n;
    }

    /** Number of allocated bits of slot {@code s}. */
    int allocatedCount(int s) {
        int n = 0;
        for (long w : bitmap[s]) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** {@code LIST_ADD(&heads[i], s)}: appends at the tail, the head stays. */
    void listAdd(int[] heads, int i, int s) {
        int head = heads[i];
        if (head == NONE) {
            next[s] = s;
            prev[s] = s;
            heads[i] = s;
        } else {
            int tail = prev[head];
            prev[s] = tail;
            next[tail] = s;
            next[s] = head;
            prev[head] = s;
        }
    }

    /** {@code LIST_REMOVE(&heads[i], s)}: unlinks; the head moves on when it was {@code s}. */
    void listRemove(int[] heads, int i, int s) {
        if (next[s] == s && prev[s] == s) {
            heads[i] = NONE;
        } else {
            next[prev[s]] = next[s];
            prev[next[s]] = prev[s];
            if (heads[i] == s) {
                heads[i] = next[s];
            }
        }
        next[s] = NONE;
        prev[s] = NONE;
    }
}
