package pvm.vm.page;

/**
 * One entry of {@code meminfo_t.page.map}: {@code count} physically contiguous pages from
 * {@code addr} that all show {@code marker}.
 */
public record PageRun(long addr, int count, char marker) {
}
