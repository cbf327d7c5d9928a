package pvm.vm.object;

import pvm.hal.pmap.PageFrames;
import pvm.vm.map.MemObject;

/**
 * A memory object, Phoenix's {@code vm_object_t}: identified by an oid (port, id), {@code size}
 * bytes long, its pages cached in {@code pages[]} as they are fetched, and counted by the entries
 * that map it. Only the shape for now: the object store and its backing-store fetches come with the
 * memory-objects issue; until then the only objects are anonymous memory ({@code null}),
 * {@link MemObject#PHYSMEM} and the kernel object.
 */
public final class VmObject implements MemObject {

    final long port;
    final long id;
    final long size;
    final int[] pages;
    int refs;

    VmObject(long port, long id, long size, int pageSize) {
        this.port = port;
        this.id = id;
        this.size = size;
        this.pages = new int[(int) ((size + pageSize - 1) / pageSize)];
        java.util.Arrays.fill(pages, PageFrames.NONE);
    }

    public long port() {
        return port;
    }

    public long id() {
        return id;
    }

    public long size() {
        return size;
    }

    /** The reference count. */
    public synchronized int refs() {
        return refs;
    }

    /** The frame caching page {@code i}, or {@link PageFrames#NONE}. */
    public synchronized int page(int i) {
        return pages[i];
    }

    @Override
    public String describe() {
        return port + "." + id;
    }

    @Override
    public String toString() {
        return "VmObject(" + describe() + ", " + size + " bytes, refs " + refs + ")";
    }
}
