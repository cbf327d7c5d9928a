package pvm.cli.explore;

import java.util.List;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.VirtAddr;
import pvm.kernel.AddressSpaceStats;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.vm.kmalloc.ZoneInfo;
import pvm.vm.map.EntryInfo;
import pvm.vm.map.VmMap;
import pvm.vm.object.Amap;
import pvm.vm.object.Anon;
import pvm.vm.object.VmObject;

/**
 * The state of a machine after one statement, written as JSON for the explorer page: the
 * page-frame table as runs, every address space with its entries and resident pages, the free
 * blocks per order, kmalloc's zones, the objects and amaps, and the accounting.
 *
 * <p>Everything is read through the layers' inspection APIs; nothing here changes the machine, and
 * nothing names an architecture (the marker letters come from the HAL, the walk's text from the
 * MMU). It runs between statements, never on a hot path.
 */
final class MachineSnapshot {

    /** Pages resolved per map and step at most (256 MiB of 4 KiB pages): a kernel map of a big machine would otherwise dominate. */
    static final int MAX_PAGES_PER_MAP = 1 << 16;

    private MachineSnapshot() {
    }

    /** Writes the members of one step's state into the object {@code json} is in. */
    static void write(Json json, Machine machine) {
        frames(json, machine);
        maps(json, machine);
        buddy(json, machine);
        kmalloc(json, machine);
        objects(json, machine);
        var a = machine.accounting();
        json.name("accounting").beginObject()
                .member("freeBytes", a.freeBytes())
                .member("kmallocBytes", a.kmallocBytes())
                .member("entries", a.mapEntries())
                .member("objects", a.objects())
                .endObject();
    }

    /**
     * The page-frame table as runs {@code [addr, count, flags, idx]} of frames that follow each
     * other in physical memory and hold the same flag byte and the same block order ({@code idx}: the
     * order of a block's first frame, -1 for the other frames of a block, -2 for a frame the
     * allocator does not own). A new run starts at every hole, so holes are where runs do not meet.
     */
    private static void frames(Json json, Machine machine) {
        PageFrames fr = machine.pages().frames();
        int pageSize = fr.pageSize();
        json.name("frames").beginArray();
        int n = fr.count();
        int f = 0;
        while (f < n) {
            long addr = fr.addr(f);
            int flags = fr.flags(f);
            int idx = fr.idx(f);
            int g = f + 1;
            while (g < n && fr.addr(g) == fr.addr(g - 1) + pageSize && fr.flags(g) == flags && fr.idx(g) == idx) {
                g++;
            }
            json.beginArray().value(addr).value(g - f).value(flags).value(idx).endArray();
            f = g;
        }
        json.endArray();
    }

    /** The kernel's map and each live process's, with their entries and the pages mapped in them. */
    private static void maps(Json json, Machine machine) {
        VmMap kmap = machine.maps().kernelMap();
        json.name("maps").beginArray();
        map(json, machine, "kernel", 0, kmap, kmap.entries(), machine.kernelPmap(), null, null);
        for (Process p : machine.processes()) {
            VmMap map = p.map();
            // Without an MMU every process shares one map; its own entries are those mapped for it.
            List<EntryInfo> entries = map.isShared() ? map.entries(p) : map.entries();
            // A vforked child runs in the map of the parent that waits for it.
            String borrowed = machine.processes().stream().filter(q -> q != p && q.isWaiting() && q.map() == map)
                    .map(Process::name).findFirst().orElse(null);
            map(json, machine, p.name(), p.pid(), map, entries, p.pmap(), p, borrowed);
        }
        json.endArray();
    }

    private static void map(Json json, Machine machine, String name, int pid, VmMap map, List<EntryInfo> entries,
                            Pmap pmap, Process process, String borrowedFrom) {
        long pageSize = machine.pageSize();
        json.beginObject().member("name", name).member("pid", pid)
                .member("start", map.start().value()).member("stop", map.stop().value())
                .member("waiting", process != null && process.isWaiting()).member("borrowedFrom", borrowedFrom);
        if (process != null) {
            stats(json, machine.stats(process));
        }
        json.name("entries").beginArray();
        long budget = MAX_PAGES_PER_MAP;
        for (EntryInfo e : entries) {
            json.beginObject()
                    .member("start", e.vaddr().value()).member("end", e.end())
                    .member("prot", e.prot()).member("protOrig", e.protOrig()).member("flags", e.flags())
                    .member("object", e.object()).member("kind", e.objectKind().name())
                    .member("offs", e.offs()).member("anonBytes", e.anonBytes())
                    .member("shared", process != null && shared(machine, process, e));
            // [va, pa, attr, count]: runs of mapped pages that follow each other in both address
            // spaces with the same attributes; the residents, and which of them a write would fault.
            json.name("pages").beginArray();
            long pages = e.size().bytes() / pageSize;
            boolean truncated = pages > budget;
            long runVa = -1;
            long runPa = -1;
            int runAttr = 0;
            long runCount = 0;
            for (long va = e.vaddr().value(); va < e.end() && budget > 0; va += pageSize, budget--) {
                PhysAddr pa = pmap.resolve(VirtAddr.of(va));
                if (pa.isNone()) {
                    continue;
                }
                int attr = pmap.attributes(VirtAddr.of(va));
                if (runCount > 0 && va == runVa + runCount * pageSize && pa.value() == runPa + runCount * pageSize && attr == runAttr) {
                    runCount++;
                    continue;
                }
                if (runCount > 0) {
                    json.value(runVa).value(runPa).value(runAttr).value(runCount);
                }
                runVa = va;
                runPa = pa.value();
                runAttr = attr;
                runCount = 1;
            }
            if (runCount > 0) {
                json.value(runVa).value(runPa).value(runAttr).value(runCount);
            }
            json.endArray().member("truncated", truncated).endObject();
        }
        json.endArray().endObject();
    }

    /** {@code show stats}: SerenityOS's address-space figures, in bytes, under the view's names. */
    private static void stats(Json json, AddressSpaceStats stats) {
        json.name("stats").beginObject();
        List<Long> bytes = stats.bytes();
        for (int i = 0; i < AddressSpaceStats.NAMES.size(); i++) {
            json.member(AddressSpaceStats.NAMES.get(i), bytes.get(i));
        }
        json.endObject();
    }

    /**
     * Whether the entry is part of a shared mapping {@code p} made ({@code mmap ... shared}): with an
     * MMU, an entry that maps an object's pages directly (no amap, no {@code MAP_NEEDSCOPY}, which
     * every private file mapping starts with); without one, an entry in a shared region of a file.
     */
    private static boolean shared(Machine machine, Process p, EntryInfo e) {
        if (e.objectKind() == EntryInfo.ObjectKind.OID && e.anonBytes() < 0 && (e.flags() & MapFlags.NEEDSCOPY) == 0) {
            return true;
        }
        return machine.sharesRegion(p, e.vaddr().value(), e.end());
    }

    /** Free blocks per order, counted from the frames: a free frame that heads a block. */
    private static void buddy(Json json, Machine machine) {
        PageFrames fr = machine.pages().frames();
        long[] perOrder = new long[64];
        for (int f = 0; f < fr.count(); f++) {
            int idx = fr.idx(f);
            if (idx >= 0 && idx < perOrder.length && fr.isFree(f)) {
                perOrder[idx]++;
            }
        }
        json.name("buddy").beginArray();
        for (int order = 0; order < perOrder.length; order++) {
            if (perOrder[order] > 0) {
                json.beginArray().value(order).value(perOrder[order]).endArray();
            }
        }
        json.endArray();
    }

    private static void kmalloc(Json json, Machine machine) {
        json.name("kmalloc").beginObject().member("allocated", machine.kmalloc().allocatedBytes());
        json.name("zones").beginArray();
        for (ZoneInfo z : machine.kmalloc().zones()) {
            json.beginObject().member("vaddr", z.vaddr()).member("blocksz", z.blocksz()).member("blocks", z.blocks())
                    .member("used", z.used()).member("first", z.first()).endObject();
        }
        json.endArray().endObject();
    }

    private static void objects(Json json, Machine machine) {
        var pager = machine.pager();
        json.name("objects").beginArray();
        for (VmObject o : pager.objects()) {
            json.beginObject().member("oid", o.oid().toString()).member("name", o.name().getOrElse(""))
                    .member("size", o.size()).member("refs", o.refs()).member("resident", o.residentPages())
                    .member("pages", o.pageCount()).endObject();
        }
        json.endArray();
        PageFrames fr = machine.pages().frames();
        json.name("amaps").beginArray();
        for (Amap a : pager.amaps()) {
            json.beginObject().member("kaddr", a.kaddr()).member("slots", a.size()).member("refs", a.refs());
            // [slot, refs, physical address] of every anon: who shares which page.
            json.name("anons").beginArray();
            for (int slot = 0; slot < a.size(); slot++) {
                Anon anon = a.anon(slot);
                if (anon != null) {
                    int frame = anon.frame();
                    json.value(slot).value(anon.refs()).value(frame == PageFrames.NONE ? -1 : fr.addr(frame));
                }
            }
            json.endArray().endObject();
        }
        json.endArray();
    }

    /** The static facts the page needs once: page size, banks, marker letters and page kinds. */
    static void machine(Json json, Machine machine) {
        var arch = machine.architecture();
        long ram = machine.hal().config().ramBytes();
        json.member("arch", arch.name()).member("description", arch.description()).member("hasMmu", machine.memoryModel().equals("paged"))
                .member("pageSize", machine.pageSize()).member("ram", ram).member("cpus", machine.cpuCount())
                .member("showsPageMap", machine.hal().showsPageMap());
        json.name("banks").beginArray();
        for (var b : arch.bootMemoryMap(ram).banks()) {
            json.beginObject().member("name", b.name()).member("start", b.start()).member("end", b.end()).endObject();
        }
        json.endArray();
        // Every flag byte a frame can hold, with the HAL's letter for it and its meaning in words.
        json.name("flagKinds").beginObject();
        for (int flags = 0; flags < 256; flags += 2) {
            char letter = machine.hal().marker(flags);
            json.name(Integer.toString(flags)).beginArray()
                    .value(Character.isWhitespace(letter) ? "" : String.valueOf(letter))
                    .value(PageFlags.describe(flags)).endArray();
        }
        json.endObject();
        json.member("attrWrite", Attr.WRITE).member("attrUser", Attr.USER);
    }
}
