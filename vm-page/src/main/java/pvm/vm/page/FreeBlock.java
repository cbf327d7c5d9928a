package pvm.vm.page;

/** One free block on a page allocator's free lists: its first byte and its order (log2 of its bytes). */
public record FreeBlock(long addr, int order) {
}
