package pvm.vm.page;

import java.util.List;

/**
 * {@code vm_pageinfo}'s part of {@code meminfo_t}: the byte counts, {@code sizeof(page_t)} on the
 * target, and the page map as runs of equal markers.
 *
 * @param map the runs; empty where the target keeps no page map (no-MMU: Phoenix reports
 *     {@code mapsz = -1})
 */
public record PageInfo(long alloc, long free, long boot, int pageDescriptorSize, List<PageRun> map) {

    public PageInfo {
        map = List.copyOf(map);
    }
}
