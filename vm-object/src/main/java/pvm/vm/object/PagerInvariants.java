package pvm.vm.object;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MapEntryTree;
import pvm.vm.map.VmMap;

/**
 * The object layer's invariant checker, over every entry of the given maps:
 *
 * <ul>
 *   <li>each amap an entry uses is live, and its count equals the number of entries using it; a
 *       live amap no entry uses is a leak;</li>
 *   <li>each anon's count equals the number of (entry, page) pairs that see it through a slot in the
 *       entry's range: an anon is counted per entry, not per slot, since a fork shares one amap
 *       between two entries and counts each anon twice ({@code _vm_mapEntryCopy}'s
 *       {@code amap_getanons}); slots outside every entry's range may keep released anons (Phoenix
 *       does not clear them) and are not looked at;</li>
 *   <li>no entry sees a released anon; every live anon is seen by some entry (else a leak);</li>
 *   <li>each anon's page is allocated and has the application owner bit, and no page is in two
 *       anons.</li>
 * </ul>
 *
 * <p>Each map is read under its lock, one map at a time: run it when no operation is under way.
 */
final class PagerInvariants {

    private PagerInvariants() {
    }

    static List<String> check(VmPager pager, Iterable<VmMap> maps, PageFrames frames) {
        List<String> out = new ArrayList<>();
        int pageSize = pager.pageSize();
        Map<Amap, int[]> entryRefs = new IdentityHashMap<>();
        Map<Anon, int[]> anonRefs = new IdentityHashMap<>();
        for (Amap a : pager.amaps()) {
            entryRefs.put(a, new int[1]);
        }
        for (VmMap map : maps) {
            map.lock();
            try {
                for (MapEntry e = map.tree().first(); e != null; e = MapEntryTree.next(e)) {
                    if (e.amap() == null) {
                        continue;
                    }
                    if (!(e.amap() instanceof Amap a)) {
                        out.add(String.format("entry %08x+%x has a foreign amap %s", e.vaddr(), e.size(), e.amap()));
                        continue;
                    }
                    int[] n = entryRefs.get(a);
                    if (n == null) {
                        out.add(String.format("entry %08x+%x uses an amap that is not live: %s", e.vaddr(), e.size(), a));
                        continue;
                    }
                    n[0]++;
                    long firstSlot = e.aoffs() / pageSize;
                    long slots = e.size() / pageSize;
                    if (e.aoffs() % pageSize != 0 || firstSlot + slots > a.size()) {
                        out.add(String.format("entry %08x+%x: aoffs 0x%x and size overrun its amap of %d slots",
                                e.vaddr(), e.size(), e.aoffs(), a.size()));
                        continue;
                    }
                    for (int i = (int) firstSlot; i < firstSlot + slots; i++) {
                        Anon anon = a.anon(i);
                        if (anon == null) {
                            continue;
                        }
                        if (anon.isFreed()) {
                            out.add(String.format("entry %08x+%x sees a released anon at page %d", e.vaddr(), e.size(), i - firstSlot));
                            continue;
                        }
                        anonRefs.computeIfAbsent(anon, k -> new int[1])[0]++;
                    }
                }
            } finally {
                map.unlock();
            }
        }
        for (Map.Entry<Amap, int[]> m : entryRefs.entrySet()) {
            Amap a = m.getKey();
            int n = m.getValue()[0];
            if (n == 0) {
                out.add(a + " is used by no entry (leaked)");
            } else if (a.refs() != n) {
                out.add(String.format("%s: refs %d, but %d entries use it", a, a.refs(), n));
            }
        }
        Map<Integer, Anon> byFrame = new java.util.HashMap<>();
        for (Map.Entry<Anon, int[]> m : anonRefs.entrySet()) {
            Anon anon = m.getKey();
            int n = m.getValue()[0];
            if (anon.refs() != n) {
                out.add(String.format("%s: refs %d, but %d entry pages see it", anon, anon.refs(), n));
            }
            int f = anon.frame();
            if (f < 0 || f >= frames.count()) {
                out.add(anon + " holds no frame of the table");
                continue;
            }
            // vm_pageAlloc ORs the flags into the page's (Phoenix never clears them), so a page that
            // was the kernel's before shows both owners: the application bit is what must be there.
            int flags = frames.flags(f);
            if (PageFlags.isFree(flags) || (PageFlags.owner(flags) & PageFlags.OWNER_APP) == 0) {
                out.add(String.format("%s: its page is %s, not an application page", anon, PageFlags.describe(flags)));
            }
            Anon other = byFrame.put(f, anon);
            if (other != null) {
                out.add(String.format("frame %d is in two anons: %s and %s", f, other, anon));
            }
        }
        int live = pager.liveAnonCount();
        if (live != anonRefs.size()) {
            out.add(String.format("%d anons are live but entries see %d (%s)", live, anonRefs.size(),
                    live > anonRefs.size() ? "leaked anons" : "anons counted as released"));
        }
        return out;
    }
}
