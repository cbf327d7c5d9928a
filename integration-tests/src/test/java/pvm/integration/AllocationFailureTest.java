package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import pvm.hal.pmap.Architecture;
import pvm.kernel.KernelOptions;
import pvm.scenario.Scenario;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Sweep;

/**
 * SQLite's discipline on every kind of statement, on every target: each allocation the statement
 * makes is failed in turn, on a fresh machine after the statements before it ({@link Sweep}). The
 * statement must fail with its errno (a fault: the outcome OOM, the fault path's ENOMEM), the
 * accounting must equal what it was before the statement, every checker must pass, and the same
 * statement must then succeed. The setup statements are swept too; the last line of each case is
 * the statement the case is about, and it must have allocation points where the target can run it.
 */
class AllocationFailureTest {

    /** Allocation points swept per target, printed at the end. */
    private static final Map<String, AtomicLong> POINTS = new ConcurrentHashMap<>();

    /** The machine every case boots. */
    private static final String BOOT = "boot ram=16M\n";

    /** Each kind of statement: the case's name and its scenario, the statement under test last. */
    private static final Map<String, String> CASES = cases();

    private static Map<String, String> cases() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("spawn", "spawn p");
        m.put("mmap anonymous", "spawn p\n$a = p mmap 0 4P rw private,anon");
        m.put("mmap private file", "file f 3P\nspawn p\n$a = p mmap 0 2P r private file f 0");
        m.put("mmap shared file", "file f 3P\nspawn p\n$a = p mmap 0 2P rw shared file f 0");
        m.put("mmap fixed over entries", "spawn p\n$a = p mmap 0 4P rw private,anon\np mprotect $a+1P 1P r\n"
                + "$b = p mmap $a+1P 2P rw private,anon,fixed");
        m.put("munmap that splits", "spawn p\n$a = p mmap 0 4P rw private,anon\np munmap $a+1P 1P");
        m.put("mprotect that splits", "spawn p\n$a = p mmap 0 4P rw private,anon\np mprotect $a+1P 1P r");
        m.put("fork", "requires mmu\nspawn p\n$a = p mmap 0 4P rw private,anon\np store 8 $a 1\np store 8 $a+2P 2\nfork p c");
        m.put("vfork", "spawn p\n$a = p mmap 0 2P rw private,anon\nvfork p c");
        m.put("exit", "spawn p\n$a = p mmap 0 2P rw private,anon\np fill $a 2P 7\nexit p");
        m.put("fault: demand zero", "requires mmu\nspawn p\n$a = p mmap 0 4P rw private,anon\np store 8 $a+1P 5");
        m.put("fault: copy-on-write", "requires mmu\nspawn p\n$a = p mmap 0 2P rw private,anon\np store 8 $a 1\nfork p c\n"
                + "c store 8 $a 9");
        m.put("fault: file fetch", "requires mmu\nfile f 3P\nspawn p\n$a = p mmap 0 3P rw private file f 0\np load 8 $a+1P");
        m.put("fault: write to a file page", "requires mmu\nfile f 3P\nspawn p\n$a = p mmap 0 3P rw private file f 0\n"
                + "p store 8 $a+2P 1");
        // The child's read needs a level-1 and a level-0 table on riscv64: the level-1 one lands on a
        // page the heap gave back, whose flags keep the app owner bit (Phoenix ORs them), and is
        // kept when the level-0 one cannot be had, as _page_map keeps it.
        m.put("fault: page table on a reused page", "requires mmu\nspawn p\n$h = p sbrk 0\np sbrk 4P\np fill $h 4P 7\n"
                + "p sbrk -4P\np sbrk 1P\np store 8 $h 1\nfork p c\nc load 8 $h");
        m.put("fault: shared file", "requires mmu\nfile f 3P\nspawn p\n$a = p mmap 0 2P rw shared file f 0\np store 8 $a 3");
        // Skipping a class for want of memory leaves room in the kernel map for a larger one, so the
        // kernel page tables kept differ from the run without injection (riscv64).
        m.put("kernel selftest", "kernel selftest");
        return m;
    }

    @TestFactory
    Stream<DynamicContainer> everyAllocationOfEveryStatementFailsCleanly() {
        return Targets.selected().map(arch -> DynamicContainer.dynamicContainer(arch.name(),
                CASES.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> sweep(arch, c.getKey(), c.getValue())))));
    }

    private static void sweep(Architecture arch, String name, String text) {
        // A small machine boots quickly; the allocation points are the same as on a large one.
        String header = text.startsWith("requires") ? "" : BOOT;
        String body = text.startsWith("requires") ? text.replaceFirst("\n", "\n" + BOOT) : text;
        Scenario scenario = ScenarioParser.parse(Path.of(name.replace(' ', '-').replace(":", "") + ".pvm"), header + body + "\n")
                .getOrElseThrow(errors -> new AssertionError(errors.toString()));
        StringBuilder problems = new StringBuilder();
        Sweep.Result r = Sweep.run(scenario, arch, KernelOptions.DEFAULT, f -> problems.append("\n  ").append(f.text()));
        System.out.println(r.summary() + (r.perStatement().isEmpty() ? "" : ", " + r.perStatement().getLast() + " in its last statement"));
        assertTrue(r.ok(), r.summary() + r.error().map(e -> "\n  " + e).orElse("") + problems);
        if (r.skipped().isEmpty()) {
            assertFalse(r.perStatement().isEmpty() || r.perStatement().getLast() == 0 && !name.equals("vfork") && arch.hasMmu(),
                    name + " on " + arch.name() + ": the statement under test made no allocation");
            POINTS.computeIfAbsent(arch.name(), t -> new AtomicLong()).addAndGet(r.points());
        }
    }

    @AfterAll
    static void printCoverage() {
        new TreeMap<>(POINTS).forEach((target, n) ->
                System.out.printf("fault injection on %s: %d allocation points over %d kinds of statement, all clean%n", target, n.get(),
                        CASES.size()));
    }
}
