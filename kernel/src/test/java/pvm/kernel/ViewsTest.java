package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** The views in the formats people read, their figures checked against a hand count. */
class ViewsTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;

    /**
     * Four pages, three written, the middle one unmapped: two entries share one amap, and each counts
     * only its own anons; resident and dirty are what the page tables say.
     */
    @Test
    void mapCountsEachEntrysOwnPages() {
        Machine m = Machine.bootDefault(Architectures.named("i686").get());
        Process p = m.spawn("p").get();
        long a = m.mmap(p, VirtAddr.NULL, Size.of(4 * 4096), RW, ANON, null, 0).get().value();
        assertTrue(m.cpu(0).store(p, 8, a, 1).isRight());
        assertTrue(m.cpu(0).store(p, 8, a + 4096, 1).isRight());
        assertTrue(m.cpu(0).load(p, 8, a + 3 * 4096).isRight());
        assertTrue(m.munmap(p, VirtAddr.of(a + 4096), Size.of(4096)).isRight());
        assertEquals(List.of(
                "p's map 0x00001000-0xc0000000, 2 entries",
                "  range             perm   offset resident  dirty   anon  object",
                "  00001000-00002000 rw-p        0        1      1      1  [anonymous]",
                "  00003000-00005000 rw-p        0        1      0      1  [anonymous]",
                "  total: 12 KiB mapped; resident 2 pages (8 KiB), dirty 1 page, anonymous 2 pages"), m.showMap(p));
        String json = m.views().json("map", p, 0);
        assertTrue(json.startsWith("{\"view\":\"map\",\"process\":\"p\",\"start\":4096,\"stop\":3221225472,\"entries\":[{\"start\":4096,\"end\":8192,"
                + "\"perms\":\"rw-p\""), json);
        assertTrue(json.contains("\"resident\":1,\"dirty\":1,\"anon\":1,\"copyOnWritePending\":false"), json);
        Checks.assertConsistent(m);
    }

    /** Every free block is in the table, in its bank's row and its size's column. */
    @Test
    void buddyCountsEveryFreeBlockByBankAndSize() {
        for (String arch : List.of("i686", "nommu")) {
            Machine m = Machine.bootDefault(Architectures.named(arch).get());
            List<String> table = m.showBuddy();
            long counted = 0;
            for (String row : table.subList(1, table.size())) {
                for (String cell : row.trim().split(" +")) {
                    if (cell.matches("\\d+")) {
                        counted += Long.parseLong(cell);
                    }
                }
            }
            assertEquals(m.pages().freeBlocks().size(), counted, arch);
            assertEquals(m.hal().memory().layout().banks().size() + 1, table.size(), arch + ": a row per bank under the header");
            assertTrue(table.get(0).startsWith("bank"), table.get(0));
        }
    }

    /**
     * After a process that touched thousands of pages has exited, kmalloc keeps zones in reserve
     * (their headers fill a header zone of their own): {@code mark} counts them as free, nothing
     * leaked, and {@code show kmalloc} says how many of its bytes are their headers.
     */
    @Test
    void theKmallocLineAndTheAccountingAgreeOnTheReserve() {
        Machine m = Machine.bootDefault(Architectures.named("i686").get());
        Accounting before = m.accounting();
        Process p = m.spawn("p").get();
        long size = 4000L * 4096;
        long a = m.mmap(p, VirtAddr.NULL, Size.of(size), RW, ANON, null, 0).get().value();
        assertTrue(m.cpu(0).fillRaw(p, a, size, 1));
        assertTrue(m.exit(p).isRight());
        assertEquals("", m.accounting().differencesFrom(before));
        var reserve = m.kmalloc().reserve();
        assertTrue(reserve.zones() > 0);
        assertEquals(String.format("kmalloc: %d bytes allocated: %d in use, %d the headers of %d zones kept in reserve (%d bytes of pages, counted as free)",
                m.kmalloc().allocatedBytes(), before.kmallocBytes(), reserve.headerBytes(), reserve.zones(), reserve.zoneBytes()),
                m.showKmalloc().get(0));
    }

    /** One row per size class, its blocks adding up to kmalloc's own figure. */
    @Test
    void kmallocRowsAddUpToWhatKmallocCounts() {
        Machine m = Machine.bootDefault(Architectures.named("i686").get());
        Process p = m.spawn("p").get();
        long a = m.mmap(p, VirtAddr.NULL, Size.of(4096), RW, ANON, null, 0).get().value();
        assertTrue(m.cpu(0).store(p, 8, a, 1).isRight());
        List<String> lines = m.showKmalloc();
        assertEquals("kmalloc: " + m.kmalloc().allocatedBytes() + " bytes allocated", lines.get(0));
        assertEquals("# class         zones   active     free      bytes", lines.get(1));
        long active = 0;
        for (String row : lines.subList(2, lines.size())) {
            String[] f = row.trim().split(" +");
            assertTrue(f[0].startsWith("kmalloc-"), row);
            active += Long.parseLong(f[2]) * Long.parseLong(f[0].substring("kmalloc-".length()));
        }
        assertEquals(m.kmalloc().allocatedBytes(), active, "blocks in use times their size");
    }

    @Test
    void objectsAreRowsWithTheirOids() {
        Machine m = Machine.bootDefault(Architectures.named("i686").get());
        assertTrue(m.createFile("data", 8192, new byte[8192]).isRight());
        Process p = m.spawn("p").get();
        long f = m.mmap(p, VirtAddr.NULL, Size.of(8192), Prot.READ, MapFlags.SHARED, "data", 0).get().value();
        assertTrue(m.cpu(0).load(p, 8, f).isRight());
        List<String> lines = m.showObjects();
        assertEquals("objects: 1 (and the kernel object), amaps: 0, anons: 0", lines.get(0));
        assertEquals("  0.0                        kernel           0 B      0       0     1  kernel", lines.get(2));
        assertEquals("  1.1                        file           8 KiB      2       1     1  data", lines.get(3));
    }

    @Test
    void jsonWritesMapsListsStringsAndNumbers() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", java.util.Arrays.asList(1, "x\"y", true, null));
        m.put("b", Map.of("c", 2));
        assertEquals("{\"a\":[1,\"x\\\"y\",true,null],\"b\":{\"c\":2}}", Json.write(m));
        assertEquals("\"tab\\there\\nnew\\u0001\"", Json.write("tab\there\nnew\u0001"));
        assertEquals("[{\"raw\":1}]", Json.write(List.of(new Json.Raw("{\"raw\":1}"))));
    }
}
