package pvm.kernel;

import pvm.vm.page.PageInfo;

/**
 * Phoenix's {@code meminfo_t} as {@code vm_meminfo} fills it. The page part comes from the page
 * allocator; the map-entry part arrives with the memory mapper.
 */
public record MemInfo(PageInfo page) {

    /** The summary {@code show mem} prints, one figure per line. */
    public java.util.List<String> lines() {
        return java.util.List.of(
                String.format("pages: %d KiB allocated, %d KiB free, %d KiB boot, page_t=%d bytes",
                        page.alloc() / 1024, page.free() / 1024, page.boot() / 1024, page.pageDescriptorSize()));
    }
}
