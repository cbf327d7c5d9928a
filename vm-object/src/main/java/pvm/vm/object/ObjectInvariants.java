package pvm.vm.object;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MapEntryTree;
import pvm.vm.map.MemObject;
import pvm.vm.map.VmMap;

/**
 * The object store's invariant checker:
 *
 * <ul>
 *   <li>the tree holds each live object under its own oid, and no freed one;</li>
 *   <li>each object's count equals the map entries (over the given maps) that map it plus the
 *       other holders the caller names; an object nobody holds is a leak; no entry maps an object
 *       that is not live (the kernel object's count is only required to stay at least 1, since the
 *       boot's mappings were made before it was counted);</li>
 *   <li>every cached page is an allocated application page, in one object only and in no anon; a
 *       contiguous object's pages are the consecutive frames of one block of the object's size;</li>
 *   <li>with an MMU, no private mapping of an object (an entry marked {@code MAP_NEEDSCOPY} or
 *       holding an amap) has write access to one of the object's pages: only an anon's copy may be
 *       written through it.</li>
 * </ul>
 *
 * <p>Each map is read under its lock, one at a time: run it when no operation is under way.
 */
final class ObjectInvariants {

    private ObjectInvariants() {
    }

    static List<String> check(VmPager pager, ObjectStore store, Iterable<VmMap> maps, PageFrames frames,
            Map<? extends MemObject, Integer> otherHolders) {
        List<String> out = new ArrayList<>();
        VmObject kernel = store.kernel();
        for (Map.Entry<Oid, VmObject> t : store.treeEntries()) {
            if (!t.getKey().equals(t.getValue().oid())) {
                out.add("tree key " + t.getKey() + " holds " + t.getValue());
            }
            if (t.getValue().isFreed()) {
                out.add("a freed object is still in the tree: " + t.getValue());
            }
        }

        List<VmObject> live = store.objects();
        Map<VmObject, int[]> entryRefs = new IdentityHashMap<>();
        Map<Integer, VmObject> byFrame = new HashMap<>();
        for (VmObject o : live) {
            entryRefs.put(o, new int[1]);
            checkPages(o, frames, byFrame, out);
        }
        for (Amap a : pager.amaps()) {
            for (int i = 0; i < a.size(); i++) {
                Anon anon = a.anon(i);
                if (anon != null && !anon.isFreed() && byFrame.containsKey(anon.frame())) {
                    out.add(String.format("frame %d is both %s's page and %s's", anon.frame(), byFrame.get(anon.frame()), anon));
                }
            }
        }

        for (VmMap map : maps) {
            map.lock();
            try {
                for (MapEntry e = map.tree().first(); e != null; e = MapEntryTree.next(e)) {
                    MemObject handle = e.object();
                    if (handle == null || handle == MemObject.PHYSMEM) {
                        continue;
                    }
                    VmObject o = store.objectOf(handle);
                    if (o == null) {
                        out.add(String.format("entry %08x+%x maps a foreign object %s", e.vaddr(), e.size(), handle));
                        continue;
                    }
                    int[] n = entryRefs.get(o);
                    if (n == null) {
                        out.add(String.format("entry %08x+%x maps an object that is not live: %s", e.vaddr(), e.size(), o));
                        continue;
                    }
                    n[0]++;
                    boolean isPrivate = (e.flags() & MapFlags.NEEDSCOPY) != 0 || e.amap() != null;
                    if (isPrivate && o != kernel) {
                        checkPrivate(map, e, o, frames, byFrame, out);
                    }
                }
            } finally {
                map.unlock();
            }
        }

        for (VmObject o : live) {
            if (o == kernel) {
                continue;
            }
            int entries = entryRefs.get(o)[0];
            Integer held = otherHolders.get(o);
            int expected = entries + (held == null ? 0 : held);
            int refs = o.refs();
            if (refs != expected) {
                out.add(expected == 0 ? String.format("%s is held by nobody (leaked)", o)
                        : String.format("%s: refs %d, but %d entries and %d other holders reference it", o, refs, entries,
                                expected - entries));
            }
        }
        if (kernel.refs() < 1) {
            out.add("the kernel object's count fell to " + kernel.refs());
        }
        return out;
    }

    private static void checkPages(VmObject o, PageFrames frames, Map<Integer, VmObject> byFrame, List<String> out) {
        int first = o.pageCount() > 0 ? o.page(0) : PageFrames.NONE;
        if (o.isContiguous()) {
            if (first == PageFrames.NONE || first < 0 || first >= frames.count()) {
                out.add(o + " has no block");
                return;
            }
            long block = Math.max(1L << frames.idx(first), frames.pageSize());
            if (block != o.size()) {
                out.add(String.format("%s: its block is %d bytes, the object %d", o, block, o.size()));
            }
        }
        for (int i = 0; i < o.pageCount(); i++) {
            int f = o.page(i);
            if (f == PageFrames.NONE) {
                if (o.isContiguous()) {
                    out.add(o + ": contiguous page " + i + " is missing");
                }
                continue;
            }
            if (f < 0 || f >= frames.count()) {
                out.add(o + ": page " + i + " is no frame of the table: " + f);
                continue;
            }
            if (o.isContiguous() && (f != first + i || frames.addr(f) != frames.addr(first) + (long) i * frames.pageSize())) {
                out.add(String.format("%s: page %d (frame %d) does not follow the block's first frame %d", o, i, f, first));
            }
            int flags = frames.flags(f);
            if (PageFlags.isFree(flags) || (PageFlags.owner(flags) & PageFlags.OWNER_APP) == 0) {
                out.add(String.format("%s: page %d (frame %d) is %s, not an application page", o, i, f, PageFlags.describe(flags)));
            }
            VmObject other = byFrame.put(f, o);
            if (other != null) {
                out.add(String.format("frame %d is in two objects: %s and %s", f, other, o));
            }
        }
    }

    /** A private mapping's writable pages must be anons' copies, never the object's own pages. */
    private static void checkPrivate(VmMap map, MapEntry e, VmObject o, PageFrames frames, Map<Integer, VmObject> byFrame,
            List<String> out) {
        Pmap pmap = map.pmap();
        for (long va = e.vaddr(); va < e.vaddr() + e.size(); va += frames.pageSize()) {
            VirtAddr v = VirtAddr.of(va);
            int attr = pmap.attributes(v);
            if ((attr & Attr.PRESENT) == 0 || (attr & Attr.WRITE) == 0) {
                continue;
            }
            PhysAddr pa = pmap.resolve(v);
            if (pa.isNone()) {
                continue;
            }
            VmObject owner = byFrame.get(frames.find(pa.value()));
            if (owner != null) {
                out.add(String.format("%s: private page 0x%08x is writable and is %s's own page", map, va, owner));
            }
        }
    }
}
