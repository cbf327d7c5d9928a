package pvm.vm.page;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PageFrames;

/**
 * {@code _page_showPages} and the map part of {@code vm_pageinfo}: the page-frame table as runs of
 * marker letters.
 *
 * <p>The console line is at most {@value #COLUMNS} characters and starts with {@code vm: }. A run of
 * five or more physically contiguous pages with one marker prints as {@code [Nc]}, a shorter run as
 * the letter repeated. Addresses with no frame (holes, and the space before the first frame) print
 * as {@code [Nx]} when four pages or more, else as one {@code x} per page. An item that does not fit
 * on the line starts a new one; single letters wrap one at a time.
 */
final class PageMapPrinter {

    /** Phoenix's {@code TTY_COLS}. */
    static final int COLUMNS = 80;
    static final String PREFIX = "vm: ";

    private PageMapPrinter() {
    }

    /** {@code _page_showPages}: the lines, without line ends. */
    static List<String> lines(PageFrames frames, PageMarker marker) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(COLUMNS).append(PREFIX);
        int pageSize = frames.pageSize();
        int n = frames.count();
        long expected = 0;
        int i = 0;
        while (i < n) {
            long addr = frames.addr(i);
            if (addr > expected) {
                long gap = (addr - expected) / pageSize;
                if (gap >= 4) {
                    append(out, line, "[" + gap + "x]");
                } else {
                    for (long k = 0; k < gap; k++) {
                        append(out, line, "x");
                    }
                }
            }
            char c = marker.marker(frames.flags(i));
            int rep = runLength(frames, marker, i, c) - 1;
            if (rep >= 4) {
                append(out, line, "[" + (rep + 1) + c + "]");
            } else {
                for (int k = 0; k <= rep; k++) {
                    append(out, line, String.valueOf(c));
                }
            }
            expected = frames.addr(i + rep) + pageSize;
            i += rep + 1;
        }
        if (line.length() > PREFIX.length()) {
            out.add(line.toString());
        }
        return out;
    }

    /** The map of {@code vm_pageinfo}: one run per stretch {@link #lines} would print as one item. */
    static List<PageRun> runs(PageFrames frames, PageMarker marker) {
        List<PageRun> out = new ArrayList<>();
        int n = frames.count();
        int i = 0;
        while (i < n) {
            char c = marker.marker(frames.flags(i));
            int count = runLength(frames, marker, i, c);
            out.add(new PageRun(frames.addr(i), count, c));
            i += count;
        }
        return out;
    }

    /**
     * Frames from {@code i} on that show {@code c} with no gap between them. A marker is a function
     * of the flag byte alone ({@code pmap_marker}), so a frame with the same flags as frame
     * {@code i} shows {@code c} without asking: on a large machine that saves a call per page of the
     * long runs of free and of boot pages.
     */
    private static int runLength(PageFrames frames, PageMarker marker, int i, char c) {
        int n = frames.count();
        long pageSize = frames.pageSize();
        int runFlags = frames.flags(i);
        int rep = 0;
        while (i + rep + 1 < n) {
            int f = frames.flags(i + rep + 1);
            if ((f != runFlags && marker.marker(f) != c)
                    || frames.addr(i + rep + 1) - frames.addr(i + rep) > pageSize) {
                break;
            }
            rep++;
        }
        return rep + 1;
    }

    /** Adds {@code item} to the line, first emitting the line if the item would pass the last column. */
    private static void append(List<String> out, StringBuilder line, String item) {
        if (line.length() + item.length() > COLUMNS) {
            out.add(line.toString());
            line.setLength(0);
            line.append(PREFIX);
        }
        line.append(item);
    }
}
