package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pvm pages --ram 128M --reserve 2M --trace FILE}. */
class TraceReplayTest {

    private static final long MIB = 1L << 20;

    private static BuddyPageAllocator machine() {
        return Bare.ia32(128 * MIB, 2 * MIB, 4096);
    }

    private static io.vavr.control.Either<String, List<String>> replay(String... lines) {
        return TraceReplay.replay(machine(), List.of(lines), "t.trace");
    }

    @Test
    void printsEachAllocationThenTheFreeLists() {
        List<String> out = replay(
                "# a small session",
                "alloc 4096",
                "alloc 0x1000   # the buddy of the first",
                "",
                "alloc 8K",
                "free 0",
                "alloc 2M",
                "alloc 1G",
                "  alloc 4096  ").get();
        assertEquals(List.of(
                "0x00200000",
                "0x00201000",
                "0x00202000",
                "0x00400000",
                "NULL",
                "0x00200000", // the freed first page, the only one on the 4 KiB list
                "bank    4K    8K   16K   32K   64K  128K  256K  512K    1M    2M    4M    8M   16M   32M   64M  128M",
                "ram      0     0     1     1     1     1     1     1     1     1     0     1     1     1     1     0"), out);
    }

    @Test
    void anEmptyTraceGivesTheInitialLists() {
        BuddyPageAllocator m = machine();
        assertEquals(TraceReplay.freeTable(m), replay("# nothing", "   ").get());
        assertEquals(m.freeBlocks().size(), m.freeLists().stream().mapToInt(l -> Integer.parseInt(l.replaceAll(".*: (\\d+) free", "$1"))).sum());
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertEquals("t.trace:2: expected 'alloc SIZE' or 'free N', got 'allocate 4K'",
                replay("alloc 4K", "allocate 4K").getLeft());
        assertEquals("t.trace:1: expected 'alloc SIZE' or 'free N', got 'alloc'", replay("alloc").getLeft());
        assertEquals("t.trace:1: expected 'alloc SIZE' or 'free N', got 'alloc 4K 8K'", replay("alloc 4K 8K").getLeft());
        assertEquals("t.trace:1: expected a size such as 4096, 0x1000, 64K, 128M or 4G, got '4Q'",
                replay("alloc 4Q").getLeft());
        assertEquals("t.trace:2: expected an allocation number after 'free', got 'x'", replay("alloc 4K", "free x").getLeft());
        assertEquals("t.trace:1: expected an earlier allocation to free, but there is none yet", replay("free 0").getLeft());
        assertEquals("t.trace:3: expected the number of an earlier allocation (0..1), got 2",
                replay("alloc 4K", "alloc 4K", "free 2").getLeft());
        assertEquals("t.trace:4: allocation 0 was already freed at line 3",
                replay("alloc 4K", "alloc 4K", "free 0", "free 0").getLeft());
    }

    /** {@code vm_pageFree(NULL)} does nothing: freeing a failed allocation, even twice, changes nothing. */
    @Test
    void freeingAnAllocationThatReturnedNullDoesNothing() {
        List<String> out = replay("alloc 1G", "free 0", "free 0", "alloc 4K").get();
        assertEquals("NULL", out.get(0));
        assertEquals(replay("alloc 1G", "alloc 4K").get(), out);
    }
}
