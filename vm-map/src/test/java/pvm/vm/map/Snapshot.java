package pvm.vm.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a failed call must leave as it was: entries, mappings, free pages, page tables, free
 * pool entries, the pager's pages.
 *
 * <p>The entries' gaps are left out: they depend on the tree's shape, and a failure that inserted and
 * removed an entry may leave an equally valid tree balanced differently. So is the amap statistic
 * (anons over the whole amap, as {@code vm_mapinfo} counts them), which counts slots no entry
 * uses: a failed mapping may have cleared such a stale slot. The pager's checker covers anons.
 */
record Snapshot(List<List<EntryInfo>> entries, List<Map<Long, FlatPmap.Pte>> ptes, long freeBytes, int tablePages, long poolFree,
        int pagerFrames) {

    static Snapshot of(TestMachine m) {
        List<List<EntryInfo>> es = new ArrayList<>();
        List<Map<Long, FlatPmap.Pte>> ps = new ArrayList<>();
        int tables = 0;
        for (VmMap map : m.allMaps()) {
            es.add(map.entries().stream().map(e -> new EntryInfo(e.vaddr(), e.size(), e.flags(), e.prot(), e.protOrig(), e.offs(),
                    e.anonBytes() < 0 ? -1 : 0, e.objectKind(), e.object(), e.oid(), 0, 0, 0, e.owner())).toList());
            FlatPmap pmap = (FlatPmap) map.pmap;
            ps.add(new TreeMap<>(pmap.ptes));
            tables += (int) pmap.tables.values().stream().filter(f -> f >= 0).count();
        }
        return new Snapshot(es, ps, m.pages.freeBytes(), tables, m.maps.pool().free(), m.pager.heldFrames());
    }

    /**
     * This snapshot with page tables counted as free pages. Page tables are never freed before
     * their address space is (as in Phoenix): a mapping that failed after one was made for it
     * leaves it in place, which is no leak.
     */
    Snapshot tablesAsFree(int pageSize) {
        return new Snapshot(entries, ptes, freeBytes + (long) tablePages * pageSize, 0, poolFree, pagerFrames);
    }
}
