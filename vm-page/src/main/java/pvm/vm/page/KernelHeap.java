package pvm.vm.page;

/**
 * The kernel heap's bounds while the kernel boots: Phoenix's {@code vm.bss} (the first unused
 * virtual address) and {@code vm.top} (one past the last mapped one). {@code _pmap_init} sets them,
 * {@code _page_init} moves both (the page_t array is carved from the heap, which grows a page at a
 * time), and later boot steps continue from where it left them. One holder per machine, passed
 * through every step, as Phoenix passes {@code &vm.bss, &vm.top}.
 */
public final class KernelHeap {

    private long bss;
    private long top;

    public KernelHeap(long bss, long top) {
        this.bss = bss;
        this.top = top;
    }

    public long bss() {
        return bss;
    }

    public long top() {
        return top;
    }

    public void setBss(long bss) {
        this.bss = bss;
    }

    public void setTop(long top) {
        this.top = top;
    }

    @Override
    public String toString() {
        return String.format("KernelHeap(bss=0x%08x, top=0x%08x)", bss, top);
    }
}
