package pvm.kernel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.map.EntryInfo;
import pvm.vm.object.Amap;
import pvm.vm.object.Anon;
import pvm.vm.object.VmObject;
import pvm.vm.object.VmPager;

/**
 * {@code show stats P}: the figures SerenityOS's {@code AddressSpace} keeps of a process's memory
 * ({@code amount_virtual}, {@code amount_resident}, {@code amount_shared},
 * {@code amount_dirty_private}, {@code amount_clean_inode}, {@code amount_purgeable_volatile}) and
 * what it has committed, in bytes, counted page by page from its entries and page tables:
 *
 * <ul>
 *   <li>virtual: the size of its entries;</li>
 *   <li>resident: pages mapped in its page tables now;</li>
 *   <li>shared: resident pages that are not its alone: the shared zero page, anons shared
 *       copy-on-write with another process, and memory objects' own pages (files, contiguous and
 *       physical memory);</li>
 *   <li>dirty private: resident pages of anons it alone refers to (resident = shared + dirty private);</li>
 *   <li>clean file-backed: resident pages of a file's object not written through the mapping (not
 *       mapped writable with the dirty bit set);</li>
 *   <li>purgeable volatile: resident pages it has marked volatile;</li>
 *   <li>committed: pages committed ({@code commit=strict}) and not yet backed by a page.</li>
 * </ul>
 */
public record AddressSpaceStats(long virtualBytes, long residentBytes, long sharedBytes, long dirtyPrivateBytes,
        long cleanFileBackedBytes, long purgeableVolatileBytes, long committedBytes) {

    /** The names the text view and the JSON give the figures, in order. */
    public static final List<String> NAMES =
            List.of("virtual", "resident", "shared", "dirty private", "clean file-backed", "purgeable volatile", "committed");

    static AddressSpaceStats of(Machine machine, Process p, List<Long> volatilePages, long committed) {
        int ps = machine.pageSize();
        VmPager pager = machine.pager();
        PageFrames frames = machine.pages().frames();
        Map<Integer, Integer> anonRefs = anonRefsByFrame(pager);
        Set<Integer> filePages = filePageFrames(pager);
        Set<Long> volatileSet = new HashSet<>(volatilePages);
        int zero = pager.zeroFrame();
        Pmap pmap = p.pmap();
        List<EntryInfo> entries = p.ownsMap() ? p.map().entries() : p.map().entries(p.memoryOwner());
        long virt = 0;
        long resident = 0;
        long shared = 0;
        long dirtyPrivate = 0;
        long clean = 0;
        long purgeable = 0;
        for (EntryInfo e : entries) {
            virt += e.size().bytes();
            for (long va = e.vaddr().value(); va < e.end(); va += ps) {
                PhysAddr pa = pmap.resolve(VirtAddr.of(va));
                if (pa.isNone()) {
                    continue;
                }
                resident++;
                int f = frames.find(pa.value());
                Integer refs = f == PageFrames.NONE || f == zero ? null : anonRefs.get(f);
                if (refs != null && refs == 1) {
                    dirtyPrivate++;
                } else {
                    shared++;
                }
                if (refs == null && filePages.contains(f) && !writtenThrough(pmap.attributes(VirtAddr.of(va)))) {
                    clean++;
                }
                if (volatileSet.contains(va)) {
                    purgeable++;
                }
            }
        }
        return new AddressSpaceStats(virt, resident * ps, shared * ps, dirtyPrivate * ps, clean * ps, purgeable * ps, committed);
    }

    /**
     * Whether a page may have been written through this mapping: mapped writable and marked dirty.
     * The dirty bit alone does not say it: targets that do not set it in hardware (riscv64's pmap)
     * set it whenever they map a page, and a page mapped read-only was never written through it.
     */
    private static boolean writtenThrough(int attr) {
        return (attr & Attr.WRITE) != 0 && (attr & Attr.DIRTY) != 0;
    }

    /** Each live anon's frame and its reference count. */
    private static Map<Integer, Integer> anonRefsByFrame(VmPager pager) {
        Map<Integer, Integer> out = new HashMap<>();
        for (Amap a : pager.amaps()) {
            for (int i = 0; i < a.size(); i++) {
                Anon anon = a.anon(i);
                if (anon != null && !anon.isFreed()) {
                    out.put(anon.frame(), anon.refs());
                }
            }
        }
        return out;
    }

    /** The frames of the pages files' objects hold (not contiguous objects'). */
    private static Set<Integer> filePageFrames(VmPager pager) {
        Set<Integer> out = new HashSet<>();
        for (VmObject o : pager.objects()) {
            if (o.isContiguous()) {
                continue;
            }
            for (int i = 0; i < o.pageCount(); i++) {
                int f = o.page(i);
                if (f != PageFrames.NONE) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The figures in bytes, in the order of {@link #NAMES}. */
    public List<Long> bytes() {
        return List.of(virtualBytes, residentBytes, sharedBytes, dirtyPrivateBytes, cleanFileBackedBytes, purgeableVolatileBytes,
                committedBytes);
    }

    /** {@code show stats}: one line per figure, its name then KiB (with a fraction for pages smaller than 1 KiB). */
    public List<String> lines() {
        List<String> out = new java.util.ArrayList<>();
        List<Long> b = bytes();
        for (int i = 0; i < NAMES.size(); i++) {
            out.add(String.format("%-19s %s KiB", NAMES.get(i) + ":", kib(b.get(i))));
        }
        return out;
    }

    /** The figures as the JSON view gives them: KiB under camel-case names, and the process. */
    Map<String, Object> json(String process) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "stats");
        out.put("process", process);
        out.put("unit", "KiB");
        List<Long> b = bytes();
        for (int i = 0; i < NAMES.size(); i++) {
            out.put(camel(NAMES.get(i)), kibNumber(b.get(i)));
        }
        return out;
    }

    private static String kib(long bytes) {
        return kibNumber(bytes).toString();
    }

    private static Number kibNumber(long bytes) {
        return bytes % 1024 == 0 ? (Number) (bytes / 1024) : (Number) (bytes / 1024.0);
    }

    private static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (c == ' ' || c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
