package pvm.cli;

import java.util.List;
import java.util.Map;
import pvm.vm.page.PageRun;

/**
 * The page map as a picture: every cell one page (or, for big machines, a group of pages shown
 * by its first page's marker), coloured by the marker letter {@code _page_showPages} prints, in
 * address order, left to right and top to bottom. Holes in physical memory are left blank.
 */
final class PageMapSvg {

    static final int COLUMNS = 128;
    private static final int CELL = 6;
    private static final int MAX_CELLS = 64 * 1024;

    /** Marker letter to colour and legend text. */
    static final Map<Character, String[]> PALETTE = Map.ofEntries(
            Map.entry('.', new String[] {"#e8e8e8", "free"}),
            Map.entry('K', new String[] {"#1f3b73", "kernel"}),
            Map.entry('Y', new String[] {"#7b3294", "syspage"}),
            Map.entry('C', new String[] {"#008080", "cpu"}),
            Map.entry('P', new String[] {"#f28e2b", "page table"}),
            Map.entry('M', new String[] {"#9c755f", "pmap"}),
            Map.entry('S', new String[] {"#e15759", "kernel stack"}),
            Map.entry('H', new String[] {"#edc948", "kernel heap"}),
            Map.entry('B', new String[] {"#8c8c8c", "boot"}),
            Map.entry('A', new String[] {"#59a14f", "application"}),
            Map.entry('U', new String[] {"#2d6a2d", "owner 3"}));

    private PageMapSvg() {
    }

    /** An SVG document of the page runs {@code vm_pageinfo} reports, with a title and a legend. */
    static String render(String title, List<PageRun> runs, int pageSize) {
        if (runs.isEmpty()) {
            return Svg.document(640, 60, Svg.text(10, 30, title + ": no page map on this target (as on Phoenix without an MMU)", 14));
        }
        long first = runs.getFirst().addr() / pageSize;
        PageRun last = runs.getLast();
        long pages = last.addr() / pageSize + last.count() - first;
        long perCell = Math.max(1, (pages + MAX_CELLS - 1) / MAX_CELLS);
        long cells = (pages + perCell - 1) / perCell;
        int rows = (int) ((cells + COLUMNS - 1) / COLUMNS);
        int top = 40;
        int width = COLUMNS * CELL + 20;
        int legendTop = top + rows * CELL + 20;
        StringBuilder body = new StringBuilder();
        body.append(Svg.text(10, 24, String.format("%s: %d pages of %d bytes, %s per cell", title, pages, pageSize,
                perCell == 1 ? "one page" : perCell + " pages"), 14));
        long nextCell = 0;
        for (PageRun run : runs) {
            long startPage = run.addr() / pageSize - first;
            long endPage = startPage + run.count();
            // A cell shows the marker of the run holding its first page; a run is drawn as one
            // rectangle per row it covers, so a big free run costs a few elements, not thousands.
            long cell = Math.max(nextCell, (startPage + perCell - 1) / perCell);
            long endCell = (endPage + perCell - 1) / perCell;
            while (cell < endCell) {
                long rowEnd = Math.min(endCell, (cell / COLUMNS + 1) * COLUMNS);
                int x = 10 + (int) (cell % COLUMNS) * CELL;
                int y = top + (int) (cell / COLUMNS) * CELL;
                body.append(Svg.rect(x, y, (int) (rowEnd - cell) * CELL - 1, CELL - 1, colour(run.marker())));
                cell = rowEnd;
            }
            nextCell = Math.max(nextCell, endCell);
        }
        int lx = 10;
        for (char marker : ".KYCPMSHBAU".toCharArray()) {
            String[] c = PALETTE.get(marker);
            body.append(Svg.rect(lx, legendTop, 10, 10, c[0]));
            body.append(Svg.text(lx + 14, legendTop + 10, marker + " " + c[1], 11));
            lx += 30 + 7 * c[1].length();
            if (lx > width - 120) {
                lx = 10;
                legendTop += 18;
            }
        }
        return Svg.document(width, legendTop + 30, body.toString());
    }

    static String colour(char marker) {
        String[] c = PALETTE.get(marker);
        return c == null ? "#000000" : c[0];
    }
}
