package pvm.vm.object;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MapEntryTree;
import pvm.vm.map.VmMap;

/**
 * The checker of the no-MMU shared regions ({@link SharedRegions}):
 *
 * <ul>
 *   <li>each region belongs to a live object and is listed with it; an object lists no region that
 *       is not live, and its regions hold disjoint ranges of its bytes;</li>
 *   <li>each region has at least one share, each share lies inside the region's block;</li>
 *   <li>each region's block is exactly one entry of its map, of its object at its offset, owned by
 *       the region; no other entry is owned by a region (a block unmapped, split or grown behind
 *       the registry's back shows here).</li>
 * </ul>
 *
 * <p>Maps are read under their locks, one at a time: run it when no operation is under way.
 */
final class RegionInvariants {

    private RegionInvariants() {
    }

    static List<String> check(SharedRegions registry, VmPager pager, Iterable<VmMap> maps) {
        List<String> out = new ArrayList<>();
        List<SharedRegion> regions = registry.regions();
        Map<SharedRegion, int[]> entries = new IdentityHashMap<>();
        for (SharedRegion r : regions) {
            entries.put(r, new int[1]);
            VmObject o = r.object();
            if (o.isFreed()) {
                out.add(r + " belongs to a freed object");
            } else if (!containsIdentity(o.sharedRegions(), r)) {
                out.add(r + " is not listed with its object");
            }
            List<SharedRegion.Share> shares = registry.sharesOf(r);
            if (shares.isEmpty()) {
                out.add(r + " has no share left but is still live");
            }
            for (SharedRegion.Share s : shares) {
                if (s.size() <= 0 || s.vaddr() < r.vaddr() || s.vaddr() + s.size() > r.vaddr() + r.size()) {
                    out.add(String.format("%s: %s's share 0x%08x+0x%x is not inside it", r, s.holder(), s.vaddr(), s.size()));
                }
            }
        }
        for (VmObject o : pager.objects()) {
            List<SharedRegion> listed = o.sharedRegions();
            for (int i = 0; i < listed.size(); i++) {
                SharedRegion r = listed.get(i);
                if (!entries.containsKey(r)) {
                    out.add(o + " lists a region that is not live: " + r);
                }
                for (int j = i + 1; j < listed.size(); j++) {
                    SharedRegion q = listed.get(j);
                    if (r.offs() < q.offs() + q.size() && q.offs() < r.offs() + r.size()) {
                        out.add(String.format("%s: regions %s and %s hold the same bytes", o, r, q));
                    }
                }
            }
        }

        for (VmMap map : maps) {
            map.lock();
            try {
                for (MapEntry e = map.tree().first(); e != null; e = MapEntryTree.next(e)) {
                    if (!(e.owner() instanceof SharedRegion r)) {
                        continue;
                    }
                    int[] n = entries.get(r);
                    if (n == null) {
                        out.add(String.format("entry %08x+%x is owned by a region that is not live: %s", e.vaddr(), e.size(), r));
                        continue;
                    }
                    n[0]++;
                    if (r.map() != map || e.vaddr() != r.vaddr() || e.size() != r.size() || e.object() != r.object()
                            || e.offs() != r.offs()) {
                        out.add(String.format("%s: its entry is %s", r, e));
                    }
                }
            } finally {
                map.unlock();
            }
        }
        for (Map.Entry<SharedRegion, int[]> m : entries.entrySet()) {
            if (m.getValue()[0] != 1) {
                out.add(String.format("%s: %d entries of its map reserve its block, not 1", m.getKey(), m.getValue()[0]));
            }
        }
        return out;
    }

    private static boolean containsIdentity(List<SharedRegion> list, SharedRegion r) {
        for (SharedRegion x : list) {
            if (x == r) {
                return true;
            }
        }
        return false;
    }
}
