package pvm.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Sizes;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.kmalloc.ZoneInfo;
import pvm.vm.object.Amap;
import pvm.vm.object.VmObject;
import pvm.vm.page.BuddyInfo;
import pvm.vm.page.FreeBlock;

/**
 * The views that are tables, each in a format people already read: free blocks as
 * {@code /proc/buddyinfo}, kmalloc as {@code /proc/slabinfo}, objects and amaps as rows. Each
 * has its JSON twin with the same figures.
 */
final class TableViews {

    private final Machine machine;

    TableViews(Machine machine) {
        this.machine = machine;
    }

    // ---- buddy ----

    List<String> buddy() {
        return BuddyInfo.table(machine.hal().memory().layout().banks(), machine.pages().freeBlocks(), machine.pages().frames().pageShift());
    }

    Map<String, Object> buddyJson() {
        List<Object> blocks = new ArrayList<>();
        for (FreeBlock b : machine.pages().freeBlocks()) {
            blocks.add(Map.of("addr", b.addr(), "order", b.order()));
        }
        List<Object> banks = new ArrayList<>();
        machine.hal().memory().layout().banks().forEach(b -> banks.add(Map.of("name", b.name(), "start", b.start(), "end", b.end())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "buddy");
        out.put("banks", banks);
        out.put("freeBlocks", blocks);
        return out;
    }

    // ---- kmalloc ----

    /** One size class: its zones, blocks in use and free, and the bytes its zones take. */
    record SizeClass(long blockSize, int zones, long active, long free, long bytes) {
    }

    List<SizeClass> sizeClasses() {
        Map<Long, long[]> byClass = new TreeMap<>();
        for (ZoneInfo z : machine.kmalloc().zones()) {
            long[] c = byClass.computeIfAbsent(z.blocksz(), k -> new long[4]);
            c[0]++;
            c[1] += z.used();
            c[2] += z.blocks() - z.used();
            c[3] += (long) z.blocks() * z.blocksz();
        }
        List<SizeClass> out = new ArrayList<>();
        byClass.forEach((size, c) -> out.add(new SizeClass(size, (int) c[0], c[1], c[2], c[3])));
        return out;
    }

    List<String> kmalloc() {
        List<String> lines = new ArrayList<>();
        lines.add(kmallocLine(machine.kmalloc().allocatedBytes(), machine.kmalloc().reserve()));
        lines.add(String.format("%-14s %6s %8s %8s %10s", "# class", "zones", "active", "free", "bytes"));
        for (SizeClass c : sizeClasses()) {
            lines.add(String.format("%-14s %6d %8d %8d %10d", "kmalloc-" + c.blockSize(), c.zones(), c.active(), c.free(), c.bytes()));
        }
        return lines;
    }

    /**
     * The first line of {@code show kmalloc}: the bytes allocated and, when zones are kept in
     * reserve, how many of them are those zones' headers, so that the line and {@code mark}
     * (which counts the reserve as free) tell the same story.
     */
    static String kmallocLine(long allocated, Kmalloc.Reserve reserve) {
        if (reserve.zones() == 0) {
            return "kmalloc: " + allocated + " bytes allocated";
        }
        return String.format("kmalloc: %d bytes allocated: %d in use, %d the headers of %d zone%s kept in reserve (%d bytes of pages, counted as free)",
                allocated, allocated - reserve.headerBytes(), reserve.headerBytes(), reserve.zones(), reserve.zones() == 1 ? "" : "s",
                reserve.zoneBytes());
    }

    Map<String, Object> kmallocJson() {
        List<Object> classes = new ArrayList<>();
        for (SizeClass c : sizeClasses()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("blockSize", c.blockSize());
            m.put("zones", c.zones());
            m.put("active", c.active());
            m.put("free", c.free());
            m.put("bytes", c.bytes());
            classes.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "kmalloc");
        out.put("allocatedBytes", machine.kmalloc().allocatedBytes());
        out.put("classes", classes);
        return out;
    }

    // ---- objects ----

    List<String> objects() {
        var pager = machine.pager();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("objects: %d (and the kernel object), amaps: %d, anons: %d", pager.objectCount(), pager.amapCount(),
                pager.anonCount()));
        lines.add(String.format("  %-26s %-10s %9s %6s %7s %5s  %s", "oid", "kind", "size", "pages", "cached", "refs", "name"));
        for (VmObject o : pager.objects()) {
            lines.add(String.format("  %-26s %-10s %9s %6d %7d %5d  %s", o.oidText(), kind(o), Sizes.human(o.size()), o.pageCount(),
                    o.residentPages(), o.refs(), name(o)));
        }
        // The memory model's own (the no-MMU shared regions).
        machine.model().describe().forEach(l -> lines.add("  " + l.strip()));
        List<Amap> amaps = pager.amaps();
        if (!amaps.isEmpty()) {
            // Kernel addresses as wide as the target's pointers: 8 hex digits, 16 on riscv64.
            int digits = 2 * machine.architecture().abi().pointerSize();
            lines.add(String.format("  %-" + (digits + 2) + "s %6s %6s %5s", "amap", "slots", "anons", "refs"));
            for (Amap a : amaps) {
                lines.add(String.format("  0x%0" + digits + "x %6d %6d %5d", a.kaddr(), a.size(), a.anonCount(), a.refs()));
            }
        }
        return lines;
    }

    Map<String, Object> objectsJson() {
        var pager = machine.pager();
        List<Object> objects = new ArrayList<>();
        for (VmObject o : pager.objects()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("oid", o.oidText());
            m.put("kind", kind(o));
            m.put("size", o.size());
            m.put("pages", o.pageCount());
            m.put("cached", o.residentPages());
            m.put("refs", o.refs());
            m.put("name", name(o));
            objects.add(m);
        }
        List<Object> amaps = new ArrayList<>();
        for (Amap a : pager.amaps()) {
            amaps.add(Map.of("kaddr", a.kaddr(), "slots", a.size(), "anons", a.anonCount(), "refs", a.refs()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "objects");
        out.put("objects", objects);
        out.put("amaps", amaps);
        out.put("anons", pager.anonCount());
        return out;
    }

    private static String kind(VmObject o) {
        if (o.isContiguous()) {
            return "contiguous";
        }
        return o.port() == 0 && o.id() == 0 ? "kernel" : "file";
    }

    private String name(VmObject o) {
        if (o.isContiguous()) {
            int first = o.page(0);
            return first == PageFrames.NONE ? "" : String.format("at 0x%08x", machine.pages().frames().addr(first));
        }
        return o.name().getOrElse("");
    }
}
