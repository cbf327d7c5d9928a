package pvm.vm.object;

import pvm.hal.pmap.PageFrames;

/**
 * One anonymous page, Phoenix's {@code anon_t}: a page and the number of references to it. An anon
 * is referenced once for every map entry that sees it through a slot of its amap, so after a fork
 * the parent's and the child's entries share it (refs 2) until one of them writes and copies.
 *
 * <p>Its metadata is a kmalloc block of {@code sizeof(anon_t)} bytes ({@link ObjectSizes}), so kernel
 * memory use is real. The monitor of this object stands for {@code anon->lock}.
 */
public final class Anon {

    int refs;
    int frame;
    final long kaddr;

    Anon(int frame, long kaddr) {
        this.frame = frame;
        this.kaddr = kaddr;
        this.refs = 1;
    }

    /** The reference count. */
    public synchronized int refs() {
        return refs;
    }

    /** The page-frame index of the page, {@link PageFrames#NONE} once freed. */
    public synchronized int frame() {
        return frame;
    }

    /** The kernel address of the kmalloc block holding the {@code anon_t}. */
    public long kaddr() {
        return kaddr;
    }

    /** Whether the last reference went and the page was freed. */
    public synchronized boolean isFreed() {
        return frame == PageFrames.NONE;
    }

    @Override
    public synchronized String toString() {
        return "Anon(frame " + frame + ", refs " + refs + ")";
    }
}
