package pvm.kernel;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Sizes;
import pvm.vm.map.EntryInfo;
import pvm.vm.map.VmMap;

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
        return machine.meminfo().lines();
    }

    /** The entries of {@code p}'s map, or of the kernel map when {@code p} is null. */
    public List<String> map(Process p) {
        VmMap map = p == null ? machine.maps().kernelMap() : p.map();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s map 0x%08x-0x%08x, %d entries", p == null ? "kernel" : p.name() + "'s",
                map.start().value(), map.stop().value(), map.entries().size()));
        for (EntryInfo e : map.entries()) {
            lines.add("  " + entryLine(e));
        }
        return lines;
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
        String flags = flagNames(e.flags());
        if (!flags.isEmpty()) {
            s.append(", ").append(flags);
        }
        return s.toString();
    }

    private static String flagNames(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & MapFlags.NEEDSCOPY) != 0) {
            names.add("needscopy");
        }
        if ((flags & MapFlags.UNCACHED) != 0) {
            names.add("uncached");
        }
        if ((flags & MapFlags.DEVICE) != 0) {
            names.add("device");
        }
        if ((flags & MapFlags.NOINHERIT) != 0) {
            names.add("noinherit");
        }
        return String.join(",", names);
    }

    /** Free blocks per order ({@code sizes[]}) or the no-MMU queue. */
    public List<String> buddy() {
        return machine.pages().freeLists();
    }

    /** {@code vm_kmallocDump} with the totals. */
    public List<String> kmalloc() {
        List<String> lines = new ArrayList<>();
        lines.add("kmalloc: " + machine.kmalloc().allocatedBytes() + " bytes allocated");
        lines.addAll(machine.kmalloc().dump());
        return lines;
    }

    /** Memory objects and anonymous maps. */
    public List<String> objects() {
        var pager = machine.pager();
        List<String> lines = new ArrayList<>(pager.describeObjects());
        lines.addAll(machine.model().describe());
        lines.add(String.format("amaps: %d, anons: %d", pager.amapCount(), pager.anonCount()));
        pager.amaps().forEach(a -> lines.add("  " + a));
        return lines;
    }

    /** The MMU walk of {@code va} in {@code p}'s address space. */
    public List<String> walk(Process p, long va) {
        return List.of(machine.cpu(0).mmu().describeWalk(p == null ? machine.kernelPmap() : p.pmap(), va).split("\n"));
    }
}
