package pvm.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Sizes;
import pvm.vm.map.EntryInfo;
import pvm.vm.page.PageRun;

/**
 * The text views of a machine the scenario language's {@code show} and the CLI print: the page
 * map, the memory summary, map entries, buddy lists, kmalloc zones, objects and MMU walks.
 */
public final class MachineViews {

    private final Machine machine;

    MachineViews(Machine machine) {
        this.machine = machine;
    }

    /** {@code _page_showPages}; Phoenix shows no page map without an MMU, and neither does pvm. */
    public List<String> pages() {
        List<String> lines = machine.pages().showPages();
        return lines.isEmpty() ? List.of("(no page map on " + machine.architecture().name() + ", as on Phoenix without an MMU)") : lines;
    }

    /** The {@code meminfo} summary. */
    public List<String> mem() {
        List<String> lines = new ArrayList<>(machine.meminfo().lines());
        lines.add("policies: " + machine.policies());
        return lines;
    }

    /**
     * The entries of {@code p}'s map, or of the kernel map when {@code p} is null, as
     * {@code /proc/PID/maps} with smaps' counts ({@link MapsView}). A map that processes share (a
     * no-MMU memory map) shows only {@code p}'s own entries, as {@link MemInfo} counts them; a
     * vforked child shows its parent's map, which it runs in.
     */
    public List<String> map(Process p) {
        return new MapsView(machine).text(p);
    }

    /** One map entry as the views print it. */
    static String entryLine(EntryInfo e) {
        StringBuilder s = new StringBuilder(String.format("0x%08x-0x%08x %8s %s", e.vaddr().value(), e.end(),
                Sizes.human(e.size().bytes()), Prot.letters(e.prot())));
        if (e.protOrig() != e.prot()) {
            s.append(" (max ").append(Prot.letters(e.protOrig())).append(')');
        }
        s.append(' ').append(e.object());
        if (e.offs() >= 0) {
            s.append(String.format(" +0x%x", e.offs()));
        }
        if (e.anonBytes() >= 0) {
            s.append(", anon ").append(Sizes.human(e.anonBytes()));
        }
        String flags = String.join(",", MapsView.flagNames(e.flags(),
                MapFlags.NEEDSCOPY | MapFlags.UNCACHED | MapFlags.DEVICE | MapFlags.NOINHERIT));
        if (!flags.isEmpty()) {
            s.append(", ").append(flags);
        }
        return s.toString();
    }

    /** Free blocks per bank and order, as {@code /proc/buddyinfo} (both allocators). */
    public List<String> buddy() {
        return new TableViews(machine).buddy();
    }

    /** kmalloc's size classes as {@code /proc/slabinfo}: zones, blocks in use and free, bytes. */
    public List<String> kmalloc() {
        return new TableViews(machine).kmalloc();
    }

    /** Memory objects (oid, kind, size, pages cached, references) and amaps. */
    public List<String> objects() {
        return new TableViews(machine).objects();
    }

    /**
     * A view as JSON: {@code pages}, {@code mem}, {@code map}, {@code buddy}, {@code kmalloc},
     * {@code objects} or {@code walk} ({@code p} and {@code va} where the view takes them); null
     * for a view that is not the machine's.
     */
    public String json(String view, Process p, long va) {
        TableViews tables = new TableViews(machine);
        Object value = switch (view) {
            case "pages" -> pagesJson();
            case "mem" -> memJson();
            case "map" -> new MapsView(machine).json(p);
            case "buddy" -> tables.buddyJson();
            case "kmalloc" -> tables.kmallocJson();
            case "objects" -> tables.objectsJson();
            case "walk" -> Map.of("view", "walk", "address", va, "lines", walk(p, va));
            default -> null;
        };
        return value == null ? null : Json.write(value);
    }

    private Map<String, Object> pagesJson() {
        List<Object> runs = new ArrayList<>();
        for (PageRun r : machine.pages().info().map()) {
            runs.add(Map.of("addr", r.addr(), "count", r.count(), "marker", String.valueOf(r.marker())));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "pages");
        out.put("pageSize", machine.pageSize());
        out.put("runs", runs);
        return out;
    }

    private Map<String, Object> memJson() {
        MemInfo m = machine.meminfo();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "mem");
        out.put("allocatedBytes", m.page().alloc());
        out.put("freeBytes", m.page().free());
        out.put("bootBytes", m.page().boot());
        out.put("pageDescriptorSize", m.page().pageDescriptorSize());
        out.put("entriesTotal", m.entriesTotal());
        out.put("entriesFree", m.entriesFree());
        out.put("kernelEntries", m.kernelEntries());
        out.put("kmallocBytes", m.kmallocBytes());
        out.put("policies", machine.policies());
        return out;
    }

    /** {@code show stats P} as JSON: SerenityOS's address-space figures in KiB ({@link AddressSpaceStats}). */
    public String statsJson(Process p) {
        return Json.write(machine.stats(p).json(p.name()));
    }

    /** The MMU walk of {@code va} in {@code p}'s address space. */
    public List<String> walk(Process p, long va) {
        return List.of(machine.cpu(0).mmu().describeWalk(p == null ? machine.kernelPmap() : p.pmap(), va).split("\n"));
    }
}
