package pvm.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.map.EntryInfo;
import pvm.vm.map.VmMap;

/**
 * {@code show map}: a map's entries as Linux's {@code /proc/PID/maps} lists them (range,
 * {@code rwxp}/{@code rwxs}, offset, object) with what {@code smaps} adds per entry: pages resident
 * (mapped in the page tables now), dirty (the hardware's D bit; targets without one count none) and
 * anonymous (this entry's own pages in its amap), and whether copy-on-write is still pending; then a
 * total line.
 */
final class MapsView {

    /** One entry and what its pages hold now. */
    record Row(EntryInfo entry, long resident, long dirty) {
    }

    private final Machine machine;

    MapsView(Machine machine) {
        this.machine = machine;
    }

    /** The rows of {@code p}'s entries (its own, in a shared map), or of the kernel map for null. */
    List<Row> rows(Process p) {
        VmMap map = p == null ? machine.maps().kernelMap() : p.map();
        Pmap pmap = p == null ? machine.kernelPmap() : p.pmap();
        List<EntryInfo> entries = p == null || p.ownsMap() ? map.entries() : map.entries(p.memoryOwner());
        int ps = machine.pageSize();
        List<Row> rows = new ArrayList<>();
        for (EntryInfo e : entries) {
            long resident = 0;
            long dirty = 0;
            for (long va = e.vaddr().value(); va < e.end(); va += ps) {
                if (!pmap.resolve(VirtAddr.of(va)).isNone()) {
                    resident++;
                    if ((pmap.attributes(VirtAddr.of(va)) & Attr.DIRTY) != 0) {
                        dirty++;
                    }
                }
            }
            rows.add(new Row(e, resident, dirty));
        }
        return rows;
    }

    List<String> text(Process p) {
        VmMap map = p == null ? machine.maps().kernelMap() : p.map();
        List<Row> rows = rows(p);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s map 0x%08x-0x%08x, %d %s", p == null ? "kernel" : p.name() + "'s", map.start().value(),
                map.stop().value(), rows.size(), rows.size() == 1 ? "entry" : "entries"));
        int width = 2 * machine.architecture().abi().pointerSize();
        lines.add(String.format("  %-" + (2 * width + 1) + "s perm %8s %8s %6s %6s  %s", "range", "offset", "resident", "dirty", "anon",
                "object"));
        long bytes = 0;
        long resident = 0;
        long dirty = 0;
        long anon = 0;
        for (Row r : rows) {
            EntryInfo e = r.entry();
            StringBuilder s = new StringBuilder(String.format("  %0" + width + "x-%0" + width + "x %s %8x %8d %6d %6d  %s",
                    e.vaddr().value(), e.end(), perms(e), Math.max(0, e.offs()), r.resident(), r.dirty(), e.anonPages(), object(e)));
            if ((e.flags() & MapFlags.NEEDSCOPY) != 0) {
                s.append(", copy-on-write pending");
            }
            if (e.protOrig() != e.prot()) {
                s.append(", max ").append(Prot.letters(e.protOrig()));
            }
            for (String f : flagNames(e.flags())) {
                s.append(", ").append(f);
            }
            lines.add(s.toString());
            bytes += e.size().bytes();
            resident += r.resident();
            dirty += r.dirty();
            anon += e.anonPages();
        }
        lines.add(String.format("  total: %s mapped; resident %s (%s), dirty %s, anonymous %s", Sizes.human(bytes), pages(resident),
                Sizes.human(resident * machine.pageSize()), pages(dirty), pages(anon)));
        return lines;
    }

    Map<String, Object> json(Process p) {
        VmMap map = p == null ? machine.maps().kernelMap() : p.map();
        List<Object> entries = new ArrayList<>();
        for (Row r : rows(p)) {
            EntryInfo e = r.entry();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", e.vaddr().value());
            m.put("end", e.end());
            m.put("perms", perms(e));
            m.put("maxProt", Prot.letters(e.protOrig()));
            m.put("offset", e.offs());
            m.put("object", object(e));
            m.put("oid", e.oid());
            m.put("resident", r.resident());
            m.put("dirty", r.dirty());
            m.put("anon", e.anonPages());
            m.put("copyOnWritePending", (e.flags() & MapFlags.NEEDSCOPY) != 0);
            m.put("flags", flagNames(e.flags()));
            entries.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "map");
        out.put("process", p == null ? "kernel" : p.name());
        out.put("start", map.start().value());
        out.put("stop", map.stop().value());
        out.put("entries", entries);
        return out;
    }

    private static String pages(long n) {
        return n + (n == 1 ? " page" : " pages");
    }

    /** {@code rwxp} or {@code rwxs}: private when the entry copies on write or is anonymous. */
    static String perms(EntryInfo e) {
        boolean priv = e.objectKind() == EntryInfo.ObjectKind.ANONYMOUS || (e.flags() & MapFlags.NEEDSCOPY) != 0 || e.anonBytes() >= 0;
        return Prot.letters(e.prot()) + (priv ? 'p' : 's');
    }

    private static String object(EntryInfo e) {
        return switch (e.objectKind()) {
            case ANONYMOUS -> "[anonymous]";
            case MEMORY -> String.format("[physical 0x%x]", e.offs());
            case OID -> e.object();
        };
    }

    /** The map flags views name, each with its word, in the order they are printed. */
    private static final int[] FLAG_BITS = {MapFlags.NEEDSCOPY, MapFlags.FIXED, MapFlags.UNCACHED, MapFlags.DEVICE, MapFlags.NOINHERIT};
    private static final String[] FLAG_WORDS = {"needscopy", "fixed", "uncached", "device", "noinherit"};

    /** The words of the flags set in {@code flags} among those in {@code shown}. */
    static List<String> flagNames(int flags, int shown) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & shown & FLAG_BITS[i]) != 0) {
                names.add(FLAG_WORDS[i]);
            }
        }
        return names;
    }

    /** This view's flags: copy-on-write pending has words of its own. */
    private static List<String> flagNames(int flags) {
        return flagNames(flags, MapFlags.FIXED | MapFlags.UNCACHED | MapFlags.DEVICE | MapFlags.NOINHERIT);
    }

}
