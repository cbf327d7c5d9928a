package pvm.vm.object;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Sizes;

/** {@code show objects}: the live memory objects, then the amap and anon counts. */
final class ObjectViews {

    private ObjectViews() {
    }

    static List<String> describe(VmPager pager) {
        List<VmObject> all = pager.objects();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("objects: %d (and the kernel object), amaps: %d, anons: %d", pager.objectCount(),
                pager.amapCount(), pager.anonCount()));
        for (VmObject o : all) {
            lines.add("  " + line(o, pager.maps().pages().frames()));
        }
        return lines;
    }

    /** A no-MMU shared region: its block, the object's bytes it holds, and who maps it where. */
    static String line(SharedRegion r, List<SharedRegion.Share> shares) {
        StringBuilder s = new StringBuilder(String.format("shared region 0x%08x-0x%08x (%s): %s +0x%x, mapped by", r.vaddr(),
                r.vaddr() + r.size(), Sizes.human(r.size()), r.object().describe(), r.offs()));
        for (SharedRegion.Share share : shares) {
            s.append(String.format(" %s at 0x%08x+%s", share.holder(), share.vaddr(), Sizes.human(share.size())));
        }
        return s.toString();
    }

    /** One object: oid and name, size in bytes and pages, references, pages in memory. */
    static String line(VmObject o, PageFrames frames) {
        String who;
        if (o.isContiguous()) {
            int first = o.page(0);
            who = String.format("contiguous at 0x%08x", first == PageFrames.NONE ? 0 : frames.addr(first));
        } else {
            who = String.format("%-7s %s", o.oid(), o.name().getOrElse("(no name)"));
        }
        return String.format("%s: %s (%d page%s), refs %d, resident %d", who, Sizes.human(o.size()), o.pageCount(),
                o.pageCount() == 1 ? "" : "s", o.refs(), o.residentPages());
    }
}
