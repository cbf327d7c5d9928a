package pvm.kernel;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.vm.map.EntryInfo;
import pvm.vm.map.VmMap;
import pvm.vm.page.PageInfo;
import pvm.vm.page.PageRun;

/**
 * psh's {@code mem} (phoenix-rtos-utils {@code psh/mem/mem.c}) on this machine, byte for byte: the
 * summary, a process's or the kernel's map ({@code -m}), the page view ({@code -p}), the shared
 * memory maps ({@code -s}) and the usage ({@code -h}). Each call answers what psh would print on
 * standard output and on standard error, and its exit status.
 *
 * <p>libphoenix prints {@code %p} as lower-case hex padded with zeros to the pointer's width, with no
 * {@code 0x}; {@code off_t} is 64 bits, so offsets take 16 columns on every target.
 */
public final class PshMem {

    /** What one run of {@code mem} printed and returned. */
    public record Output(List<String> out, List<String> err, int status) {

        static Output ok(List<String> out) {
            return new Output(out, List.of(), 0);
        }

        static Output fail(String err) {
            return new Output(List.of(), List.of(err), 1);
        }
    }

    private static final int OFFSET_WIDTH = 16;

    private final Machine machine;
    private final int pointerHex;

    PshMem(Machine machine) {
        this.machine = machine;
        // The width of a pointer in hex digits: 8 on the 32-bit targets, 16 where addresses need more.
        this.pointerHex = machine.architecture().layout().kernelEnd() > 0x1_0000_0000L ? 16 : 8;
    }

    /** {@code mem ARGS...}: {@code args} are the words after {@code mem}, as psh's argv from 1 on. */
    public Output run(List<String> args) {
        if (args.isEmpty()) {
            return Output.ok(List.of(summary()));
        }
        String first = args.get(0);
        if (!first.startsWith("-") || first.length() < 2) {
            return Output.fail("mem: unknown argument: " + first);
        }
        return switch (first.charAt(1)) {
            case 'm' -> process(args.size() > 1 ? args.get(1) : null);
            case 'p' -> pages();
            case 's' -> sharedMaps();
            case 'h' -> Output.ok(List.of("Usage: mem [OPTION]", "\t-m    process memory info", "\t-p    page info",
                    "\t-s    shared memory maps info", "\t-h    help"));
            default -> Output.fail("mem: illegal option -- " + first.charAt(1));
        };
    }

    /** {@code psh_mem_summary}: {@code (alloc-boot+boot)/totalKB used/total entries}. */
    private String summary() {
        PageInfo page = machine.pages().info();
        long total = machine.maps().entriesTotal();
        return String.format("(%d+%d)/%dKB %d/%d entries", (page.alloc() - page.boot()) / 1024, page.boot() / 1024,
                (page.alloc() + page.free()) / 1024, total - machine.maps().entriesFree(), total);
    }

    /** {@code psh_mem_process}: {@code kernel}, a pid, or (psh's own pid, which pvm has not) nothing. */
    private Output process(String arg) {
        if (arg == null) {
            return Output.fail("mem: pvm runs no psh process; give a pid, a process name or 'kernel'");
        }
        if (arg.equals("kernel")) {
            return Output.ok(procprint(machine.maps().kernelMap().entries()));
        }
        long pid;
        try {
            pid = Long.parseUnsignedLong(arg);
        } catch (NumberFormatException e) {
            return Output.fail("mem: could not parse process id: '" + arg + "'");
        }
        for (Process p : machine.processes()) {
            if (p.pid() == pid) {
                VmMap map = p.map();
                return Output.ok(procprint(p.ownsMap() ? map.entries() : map.entries(p.memoryOwner())));
            }
        }
        return Output.fail("mem: process with pid " + Integer.toUnsignedString((int) pid) + " not found");
    }

    /** {@code psh_mem_procprint}: the header, then the entries from the highest address down. */
    private List<String> procprint(List<EntryInfo> entries) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-" + (2 * pointerHex + 1) + "s  PROT  FLAGS  %" + OFFSET_WIDTH + "s  OBJECT", "SEGMENT", "OFFSET"));
        for (int i = entries.size() - 1; i >= 0; i--) {
            EntryInfo e = entries.get(i);
            StringBuilder s = new StringBuilder();
            s.append(pointer(e.vaddr().value())).append(':').append(pointer(e.end() - 1));
            s.append("  ").append(String.format("%-4s", Prot.letters(e.prot()))).append("  ").append(String.format("%-5s", flags(e.flags())));
            s.append("  ").append(e.offs() != -1 ? String.format("%" + OFFSET_WIDTH + "x", e.offs()) : " ".repeat(OFFSET_WIDTH));
            s.append("  ").append(switch (e.objectKind()) {
                case ANONYMOUS -> "(anonymous)";
                case MEMORY -> "mem";
                case OID -> e.oid();
            });
            if (e.objectKind() != EntryInfo.ObjectKind.ANONYMOUS && e.anonBytes() >= 0) {
                s.append("/(").append(e.anonBytes() / 1024).append("KB)");
            }
            lines.add(s.toString());
        }
        return lines;
    }

    /** psh's four flag columns: C (needs copy), P (private), F (fixed), A (anonymous). */
    private static String flags(int f) {
        char[] c = {' ', ' ', ' ', ' '};
        if ((f & MapFlags.NEEDSCOPY) != 0) {
            c[0] = 'C';
        }
        if ((f & MapFlags.PRIVATE) != 0) {
            c[1] = 'P';
        }
        if ((f & MapFlags.FIXED) != 0) {
            c[2] = 'F';
        }
        if ((f & MapFlags.ANONYMOUS) != 0) {
            c[3] = 'A';
        }
        return new String(c);
    }

    /**
     * {@code psh_mem_page}: one line of runs and holes, none wrapped; a run or hole of more than three
     * pages is bracketed. Without a page map psh says so on standard error and still succeeds.
     */
    private Output pages() {
        List<PageRun> runs = machine.pages().info().map();
        if (!machine.hal().showsPageMap()) {
            return new Output(List.of(), List.of("mem: Page view unavailable"), 0);
        }
        int ps = machine.pageSize();
        StringBuilder s = new StringBuilder();
        PageRun prev = null;
        for (PageRun r : runs) {
            if (prev != null) {
                long gap = (r.addr() - prev.addr()) / ps - prev.count();
                if (gap > 3) {
                    s.append('[').append(gap).append("x]");
                } else {
                    s.append("x".repeat((int) Math.max(0, gap)));
                }
            }
            if (r.count() > 3) {
                s.append('[').append(r.count()).append(r.marker()).append(']');
            } else {
                s.append(String.valueOf(r.marker()).repeat(r.count()));
            }
            prev = r;
        }
        return Output.ok(List.of(s.toString()));
    }

    /** {@code psh_sharedMaps}: every shared memory map's size, use and range. */
    private Output sharedMaps() {
        int n = machine.maps().sharedMapCount();
        if (n == 0) {
            return Output.ok(List.of("mem: no shared memory maps are present"));
        }
        List<String> lines = new ArrayList<>();
        List<String> perMap = new ArrayList<>();
        long total = 0;
        long free = 0;
        for (int id = 0; id < n; id++) {
            VmMap map = machine.maps().sharedMap(id).get();
            long size = map.stop().value() - map.start().value();
            long mapFree = size;
            for (EntryInfo e : map.entries()) {
                mapFree -= e.size().bytes();
            }
            total += size;
            free += mapFree;
            String name = machine.hal().maps().get(id).name();
            perMap.add("");
            perMap.add("Map #" + id + ": " + name);
            perMap.add("\tSize:     " + human(size) + " (" + size + " bytes)");
            perMap.add("\tAlloc:    " + human(size - mapFree) + " (" + (size - mapFree) + " bytes)");
            perMap.add("\tFree:     " + human(mapFree) + " (" + mapFree + " bytes)");
            // vm_mapCreate (and _map_mapsInit for the kernel's) gives a shared map's pmap the map's own range.
            perMap.add("\tPhysical: 0x" + pointer(map.start().value()) + ":0x" + pointer(map.stop().value()));
            perMap.add("\tVirtual:  0x" + pointer(map.start().value()) + ":0x" + pointer(map.stop().value()));
        }
        lines.add("All maps:");
        lines.add("\tTotal: " + human(total) + " (" + total + " bytes)");
        lines.add("\tFree:  " + human(free) + " (" + free + " bytes)");
        lines.addAll(perMap);
        return Output.ok(lines);
    }

    /** {@code psh_bytes2humanReadable}: whole units, rounded down, up to GiB. */
    static String human(long bytes) {
        String[] suffix = {"B", "KiB", "MiB", "GiB"};
        int i = 0;
        while (i < 3 && bytes / 1024 != 0) {
            bytes /= 1024;
            i++;
        }
        return bytes + " " + suffix[i];
    }

    /** libphoenix's {@code %p}. */
    private String pointer(long v) {
        String hex = Long.toHexString(v);
        return hex.length() >= pointerHex ? hex : "0".repeat(pointerHex - hex.length()) + hex;
    }
}
