package pvm.kernel;

import pvm.hal.pmap.Pmap;
import pvm.vm.map.MapOwner;
import pvm.vm.map.VmMap;

/**
 * A simulated process ({@code process_t}, as far as memory goes): a name, a pid, the map it
 * runs in ({@code mapp}) and the pmap its CPUs load ({@code pmapp}).
 *
 * <p>With an MMU each process has a map of its own, whose page directory shares the kernel's
 * half. Without one the map is shared (one of the board's memory maps) and the pmap only says
 * which memory maps the process may touch; the entries it maps are marked as its own so that
 * exit frees only those, as {@code vm_mapDestroy} does under {@code NOMMU}.
 *
 * <p>A vforked child runs in its parent's map until it exits; meanwhile the parent waits.
 */
public final class Process implements MapOwner {

    private final String name;
    private final int pid;
    private final boolean lazy;
    private final boolean ownsMap;
    private final VmMap map;
    private final Pmap pmap;
    private final Process vforkParent;
    private Process vforkChild;
    private boolean alive = true;
    /** Its heap and break ({@link ProcessHeap}), once {@code brk} or {@code sbrk} was called or spawn gave it room; null before. */
    private ProcessHeap heap;
    /** Its stack, when spawned with one ({@link UserStack}); null otherwise. */
    private UserStack stack;

    Process(String name, int pid, boolean lazy, VmMap map, Pmap pmap, boolean ownsMap, Process vforkParent) {
        this.name = name;
        this.pid = pid;
        this.lazy = lazy;
        this.map = map;
        this.pmap = pmap;
        this.ownsMap = ownsMap;
        this.vforkParent = vforkParent;
    }

    public String name() {
        return name;
    }

    public int pid() {
        return pid;
    }

    /**
     * Phoenix's {@code process->lazy}: whether mmap and fork leave pages to be faulted in (demand
     * paging, copy-on-write) rather than populating and copying them at once.
     */
    @Override
    public boolean lazy() {
        return lazy;
    }

    /** The map this process's mmap, munmap and faults work on ({@code process->mapp}). */
    public VmMap map() {
        return map;
    }

    /** The pmap its CPUs load ({@code process->pmapp}). */
    public Pmap pmap() {
        return pmap;
    }

    /** Whether the map is this process's own (not a parent's through vfork, not a shared no-MMU map). */
    boolean ownsMap() {
        return ownsMap;
    }

    Process vforkParent() {
        return vforkParent;
    }

    /**
     * The process whose memory this one's mappings belong to: itself, or for a vforked child the
     * parent whose map it borrows (what it maps stays in the parent's map after it exits).
     */
    Process memoryOwner() {
        return vforkParent == null ? this : vforkParent.memoryOwner();
    }

    /** True while a vforked child of this process runs in its map: the parent is blocked. */
    public synchronized boolean isWaiting() {
        return vforkChild != null;
    }

    synchronized void setVforkChild(Process child) {
        this.vforkChild = child;
    }

    public synchronized boolean isAlive() {
        return alive;
    }

    synchronized void markExited() {
        alive = false;
    }

    /** The heap whose break this process moves (a vforked child moves its parent's), or null before the first {@code brk}. */
    synchronized ProcessHeap heap() {
        Process owner = memoryOwner();
        return owner == this ? heap : owner.heap();
    }

    synchronized void setHeap(ProcessHeap heap) {
        this.heap = heap;
    }

    /** Its stack (a vforked child runs on its parent's), or null when it was spawned without one. */
    public UserStack stack() {
        Process owner = memoryOwner();
        return owner == this ? stack : owner.stack();
    }

    void setStack(UserStack stack) {
        this.stack = stack;
    }

    /** At fork: the child's break and stack are the parent's, as its map is a copy of the parent's. */
    synchronized void inheritMemory(Process parent) {
        ProcessHeap h = parent.heap();
        this.heap = h == null ? null : h.copy();
        this.stack = parent.stack();
    }

    @Override
    public String toString() {
        return name + "[" + pid + "]";
    }
}
