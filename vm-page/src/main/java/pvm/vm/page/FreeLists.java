package pvm.vm.page;

import pvm.hal.pmap.PageFrames;

/**
 * Phoenix's {@code LIST_ADD} and {@code LIST_REMOVE} on circular doubly linked lists threaded
 * through the {@code next}/{@code prev} arrays of the page-frame table, with the heads in an
 * {@code int[]}. {@link #add} appends at the tail and allocation takes the head, so a freed block
 * waits behind the blocks already on its list; the order in which pages come back follows from
 * that.
 */
final class FreeLists {

    private FreeLists() {
    }

    /** {@code LIST_ADD(&heads[order], t)}: appends {@code t} at the tail. */
    static void add(PageFrames frames, int[] heads, int order, int t) {
        int head = heads[order];
        if (head == PageFrames.NONE) {
            frames.setNext(t, t);
            frames.setPrev(t, t);
            heads[order] = t;
        } else {
            int tail = frames.prev(head);
            frames.setPrev(t, tail);
            frames.setNext(tail, t);
            frames.setNext(t, head);
            frames.setPrev(head, t);
        }
    }

    /** {@code LIST_REMOVE(&heads[order], t)}: unlinks {@code t}; the head moves on if it was {@code t}. */
    static void remove(PageFrames frames, int[] heads, int order, int t) {
        int next = frames.next(t);
        int prev = frames.prev(t);
        if (next == t && prev == t) {
            heads[order] = PageFrames.NONE;
        } else {
            frames.setNext(prev, next);
            frames.setPrev(next, prev);
            if (heads[order] == t) {
                heads[order] = next;
            }
        }
        frames.setNext(t, PageFrames.NONE);
        frames.setPrev(t, PageFrames.NONE);
    }

    /** Number of entries on the list, walking at most {@code limit} steps (a broken list may not close). */
    static int length(PageFrames frames, int head, int limit) {
        if (head == PageFrames.NONE) {
            return 0;
        }
        int n = 0;
        int f = head;
        do {
            n++;
            f = frames.next(f);
        } while (f != head && f >= 0 && f < frames.count() && n <= limit);
        return n;
    }
}
