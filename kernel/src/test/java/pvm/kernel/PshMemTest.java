package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** psh's {@code mem} in every mode, whole outputs pinned, on both targets. */
class PshMemTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;

    /** A process with an anonymous mapping it touched, a private file mapping and a fixed one. */
    private static Machine workload(String arch) {
        Machine m = Machine.bootDefault(Architectures.named(arch).get());
        int ps = m.pageSize();
        assertTrue(m.createFile("f", 3L * ps, new byte[3 * ps]).isRight());
        Process a = m.spawn("a").get();
        long x = m.mmap(a, VirtAddr.NULL, Size.of(4L * ps), RW, ANON, null, 0).get().value();
        assertTrue(m.cpu(0).store(a, 8, x, 1).isRight());
        assertTrue(m.mmap(a, VirtAddr.NULL, Size.of(2L * ps), Prot.READ, MapFlags.PRIVATE, "f", ps).isRight());
        assertTrue(m.mmap(a, VirtAddr.of(x + 8L * ps), Size.of(ps), RW, ANON | MapFlags.FIXED, null, 0).isRight());
        return m;
    }

    private static List<String> out(Machine m, String... args) {
        PshMem.Output o = m.psh(List.of(args));
        assertEquals(0, o.status(), () -> o.err().toString());
        return o.out();
    }

    @Test
    void i686() {
        Machine m = workload("i686");
        assertEquals(List.of("(1584+128)/130688KB 6/10750 entries"), out(m));
        assertEquals(List.of(
                "SEGMENT            PROT  FLAGS            OFFSET  OBJECT",
                "00009000:00009fff  rw-     F                      (anonymous)",
                "00005000:00006fff  r--   C                  1000  1.1",
                "00001000:00004fff  rw-                            (anonymous)"), out(m, "-m", "1"));
        assertEquals(List.of(
                "SEGMENT            PROT  FLAGS            OFFSET  OBJECT",
                "c013b000:c027dfff  rw-                            0.0",
                "c0100000:c013afff  r-x                            0.0",
                "c0000000:c00fffff  rw-                            0.0"), out(m, "-m", "kernel"));
        assertEquals(List.of("KCYPPS[122H][32B][96x][90K][5H][9P][159H]PHAHP[32244.]"), out(m, "-p"));
        assertEquals(List.of("mem: no shared memory maps are present"), out(m, "-s"));
        assertEquals(List.of("Usage: mem [OPTION]", "\t-m    process memory info", "\t-p    page info",
                "\t-s    shared memory maps info", "\t-h    help"), out(m, "-h"));
    }

    @Test
    void nommu() {
        Machine m = workload("nommu");
        assertEquals(List.of("(51+0)/348KB 7/199 entries"), out(m));
        assertEquals(List.of(
                "SEGMENT            PROT  FLAGS            OFFSET  OBJECT",
                "80001000:800011ff  rw-     F                      (anonymous)",
                "80000800:80000bff  r--                            (anonymous)",
                "80000000:800007ff  rw-                            (anonymous)"), out(m, "-m", "1"));
        PshMem.Output pages = m.psh(List.of("-p"));
        assertEquals(new PshMem.Output(List.of(), List.of("mem: Page view unavailable"), 0), pages);
        assertEquals(List.of(
                "All maps:",
                "\tTotal: 9 MiB (9437184 bytes)",
                "\tFree:  8 MiB (9262080 bytes)",
                "",
                "Map #0: itcm",
                "\tSize:     160 KiB (163840 bytes)",
                "\tAlloc:    112 KiB (114688 bytes)",
                "\tFree:     48 KiB (49152 bytes)",
                "\tPhysical: 0x00000000:0x00028000",
                "\tVirtual:  0x00000000:0x00028000",
                "",
                "Map #1: dtcm",
                "\tSize:     352 KiB (360448 bytes)",
                "\tAlloc:    55 KiB (56832 bytes)",
                "\tFree:     296 KiB (303616 bytes)",
                "\tPhysical: 0x20000000:0x20058000",
                "\tVirtual:  0x20000000:0x20058000",
                "",
                "Map #2: ocram",
                "\tSize:     512 KiB (524288 bytes)",
                "\tAlloc:    0 B (0 bytes)",
                "\tFree:     512 KiB (524288 bytes)",
                "\tPhysical: 0x20200000:0x20280000",
                "\tVirtual:  0x20200000:0x20280000",
                "",
                "Map #3: dram",
                "\tSize:     8 MiB (8388608 bytes)",
                "\tAlloc:    3 KiB (3584 bytes)",
                "\tFree:     7 MiB (8385024 bytes)",
                "\tPhysical: 0x80000000:0x80800000",
                "\tVirtual:  0x80000000:0x80800000"), out(m, "-s"));
    }

    @Test
    void badArgumentsFailAsPshFails() {
        Machine m = workload("i686");
        assertEquals(new PshMem.Output(List.of(), List.of("mem: process with pid 7 not found"), 1), m.psh(List.of("-m", "7")));
        assertEquals(new PshMem.Output(List.of(), List.of("mem: could not parse process id: 'x1'"), 1), m.psh(List.of("-m", "x1")));
        assertEquals(new PshMem.Output(List.of(), List.of("mem: illegal option -- x"), 1), m.psh(List.of("-x")));
        assertEquals(new PshMem.Output(List.of(), List.of("mem: unknown argument: foo"), 1), m.psh(List.of("foo")));
    }

    @Test
    void humanReadableSizesRoundDownToWholeUnits() {
        assertEquals("0 B", PshMem.human(0));
        assertEquals("1023 B", PshMem.human(1023));
        assertEquals("1 KiB", PshMem.human(2047));
        assertEquals("3 GiB", PshMem.human(3L << 30));
        assertEquals("4096 GiB", PshMem.human(4L << 40));
    }
}
