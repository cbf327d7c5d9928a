package pvm.cli;

import java.util.List;
import pvm.hal.pmap.Prot;
import pvm.vm.map.EntryInfo;

/**
 * An address space as a picture: one horizontal bar per map (the kernel's, each process's) with
 * every map entry drawn where it lies and coloured by its protection. A bar spans the part of the
 * map its entries occupy (a few pages of a 3 GiB space would otherwise be invisible); its ends are
 * labelled with the addresses shown.
 */
final class AddressSpaceSvg {

    private static final int WIDTH = 900;
    private static final int BAR = 22;

    /** One bar: a map's name, its range and its entries. */
    record Bar(String name, long start, long stop, List<EntryInfo> entries) {
    }

    private AddressSpaceSvg() {
    }

    static String render(String title, List<Bar> bars) {
        StringBuilder body = new StringBuilder(Svg.text(10, 24, title, 14));
        int y = 44;
        for (Bar bar : bars) {
            body.append(Svg.text(10, y + 15, bar.name(), 12));
            int x0 = 150;
            int w = WIDTH - x0 - 10;
            // Entries are drawn with a one-pixel gap so that neighbours stay apart.
            body.append(Svg.rect(x0, y, w, BAR, "#f4f4f4"));
            long from = bar.entries().isEmpty() ? bar.start() : bar.entries().getFirst().vaddr().value();
            long to = bar.entries().isEmpty() ? bar.stop() : bar.entries().getLast().end();
            double scale = (double) w / Math.max(1, to - from);
            for (EntryInfo e : bar.entries()) {
                int x = x0 + (int) ((e.vaddr().value() - from) * scale);
                int ew = Math.max(1, (int) (e.size().bytes() * scale) - 1);
                body.append(Svg.rect(x, y, ew, BAR, colour(e.prot())));
            }
            body.append(Svg.text(x0, y + BAR + 12, String.format("0x%08x", from), 10));
            body.append(Svg.text(x0 + w - 80, y + BAR + 12, String.format("0x%08x", to), 10));
            body.append(Svg.text(x0 + w / 2 - 100, y + BAR + 12, String.format("%d entries; map 0x%08x-0x%08x",
                    bar.entries().size(), bar.start(), bar.stop()), 10));
            y += BAR + 30;
        }
        String[][] legend = {{"#4e79a7", "r--"}, {"#e15759", "rw-"}, {"#59a14f", "r-x"}, {"#b07aa1", "rwx"}, {"#bab0ac", "---"}};
        int lx = 150;
        for (String[] l : legend) {
            body.append(Svg.rect(lx, y, 10, 10, l[0]));
            body.append(Svg.text(lx + 14, y + 10, l[1], 11));
            lx += 60;
        }
        return Svg.document(WIDTH, y + 30, body.toString());
    }

    static String colour(int prot) {
        boolean r = (prot & Prot.READ) != 0;
        boolean w = (prot & Prot.WRITE) != 0;
        boolean x = (prot & Prot.EXEC) != 0;
        if (r && w && x) {
            return "#b07aa1";
        }
        if (w) {
            return "#e15759";
        }
        if (x) {
            return "#59a14f";
        }
        return r ? "#4e79a7" : "#bab0ac";
    }
}
