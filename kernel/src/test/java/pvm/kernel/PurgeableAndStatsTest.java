package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Policies;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.object.ZeroPage;

/** SerenityOS's purgeable memory and address-space statistics (beyond Phoenix). */
class PurgeableAndStatsTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;

    private static Machine boot(String arch, long ram, Policies policies) {
        return Machine.boot(Architectures.named(arch).get(), new MachineConfig(ram, 1, policies), line -> { }).get();
    }

    private final Machine m = boot("i686", 16L << 20, Policies.DEFAULT);
    private final int ps = m.pageSize();

    private long mmap(Process p, long pages, int flags) {
        return m.mmap(p, VirtAddr.NULL, Size.of(pages * ps), RW, flags, null, 0).get().value();
    }

    private void fill(Process p, long va, long pages, int b) {
        assertTrue(m.cpu(0).fillRaw(p, va, pages * ps, b));
    }

    private Either<VmError, Void> makeVolatile(Process p, long va, long pages) {
        return m.makeVolatile(p, VirtAddr.of(va), Size.of(pages * ps));
    }

    private boolean nonvolatile(Process p, long va, long pages) {
        return m.makeNonvolatile(p, VirtAddr.of(va), Size.of(pages * ps)).get();
    }

    @Test
    void aPurgedRangeReadsZerosAndNonvolatileSaysSo() {
        Process p = m.spawn("p").get();
        long a = mmap(p, 8, ANON);
        fill(p, a, 8, 0x77);
        assertTrue(makeVolatile(p, a, 8).isRight());
        assertFalse(nonvolatile(p, a, 4), "nothing purged yet");
        long free = m.pages().freeBytes();
        assertEquals(4, m.purge(), "only the half still volatile");
        assertEquals(free + 4L * ps, m.pages().freeBytes());
        assertTrue(nonvolatile(p, a + 4L * ps, 4));
        assertEquals(4L * ps, m.cpu(0).checkRaw(p, a, 4L * ps, 0x77));
        assertEquals(4L * ps, m.cpu(0).checkRaw(p, a + 4L * ps, 4L * ps, 0));
        assertEquals(0, m.purge(), "nothing is volatile any more");
        Checks.assertConsistent(m);
    }

    @Test
    void volatileRefusesWhatIsNotAnonymousMemoryAndChangesNothing() {
        Process p = m.spawn("p").get();
        m.createFile("f", 2L * ps, null).get();
        long f = m.mmap(p, VirtAddr.NULL, Size.of(2L * ps), Prot.READ, MapFlags.PRIVATE, "f", 0).get().value();
        long a = mmap(p, 2, ANON);
        assertTrue(makeVolatile(p, f, 2).getLeft() instanceof VmError.EINVAL);
        assertTrue(makeVolatile(p, a + 1, 1).getLeft() instanceof VmError.EINVAL, "misaligned");
        assertTrue(makeVolatile(p, a, 0).getLeft() instanceof VmError.EINVAL, "empty");
        assertTrue(makeVolatile(p, a, 4).getLeft() instanceof VmError.ENOMEM, "runs past the mapping");
        assertTrue(m.stats(p).purgeableVolatileBytes() == 0 && m.purge() == 0);
        Checks.assertConsistent(m);
    }

    @Test
    void withoutAnMmuPurgeableMemoryIsEnosys() {
        Machine flat = boot("nommu", Architectures.named("nommu").get().defaultRam(), Policies.DEFAULT);
        Process p = flat.spawn("p").get();
        long a = flat.mmap(p, VirtAddr.NULL, Size.of(flat.pageSize()), RW, ANON, null, 0).get().value();
        assertTrue(flat.makeVolatile(p, VirtAddr.of(a), Size.of(flat.pageSize())).getLeft() instanceof VmError.ENOSYS);
        assertTrue(flat.stats(p).virtualBytes() >= flat.pageSize(), "show stats works without an MMU");
    }

    @Test
    void theAllocatorPurgesVolatilePagesOfOtherProcessesBeforeItFails() {
        Process cache = m.spawn("cache").get();
        long c = mmap(cache, 16, ANON);
        fill(cache, c, 16, 0x55);
        assertTrue(makeVolatile(cache, c, 16).isRight());
        Process hog = m.spawn("hog").get();
        long h = mmap(hog, (32L << 20) / ps, ANON);
        assertFalse(m.cpu(0).fillRaw(hog, h, 32L << 20, 1));
        assertTrue(m.cpu(0).lastSegv().outOfMemory());
        assertTrue(m.exit(hog).isRight());
        assertTrue(nonvolatile(cache, c, 16), "the cache was purged to feed the hog");
        assertEquals(16L * ps, m.cpu(0).checkRaw(cache, c, 16L * ps, 0));
        Checks.assertConsistent(m);
    }

    @Test
    void pagesSharedCopyOnWriteAreNotPurgedAndForkDoesNotPassVolatilityOn() {
        Process p = m.spawn("p").get();
        long a = mmap(p, 2, ANON);
        fill(p, a, 2, 0x33);
        assertTrue(makeVolatile(p, a, 2).isRight());
        Process c = m.fork(p, "c").get();
        assertEquals(0, m.purge(), "both pages are shared with the child: purging frees nothing");
        assertEquals(0L, m.stats(c).purgeableVolatileBytes());
        assertTrue(m.exit(c).isRight());
        assertEquals(2, m.purge());
        Checks.assertConsistent(m);
    }

    @Test
    void unmappingAndExitForgetVolatility() {
        Accounting before = m.accounting();
        Process p = m.spawn("p").get();
        long a = mmap(p, 4, ANON);
        fill(p, a, 4, 1);
        assertTrue(makeVolatile(p, a, 4).isRight());
        assertTrue(m.munmap(p, VirtAddr.of(a), Size.of(4L * ps)).isRight());
        assertEquals(0, m.purge());
        long b = mmap(p, 4, ANON);
        fill(p, b, 4, 1);
        assertTrue(makeVolatile(p, b, 4).isRight());
        assertTrue(m.exit(p).isRight());
        assertEquals(0, m.purge());
        assertEquals(before, m.accounting());
        Checks.assertConsistent(m);
    }

    /** Lesson 19's scenario, counted by hand: every kind of page once. */
    @Test
    void statsMatchAHandCountOfEveryKindOfPage() {
        // riscv64 (whose pmap sets the dirty bit on every page it maps) runs lesson 19 in the suite.
        for (String arch : new String[] {"i686"}) {
            Machine mm = boot(arch, 128L << 20, Policies.DEFAULT.with(ZeroPage.POLICY, ZeroPage.SHARED).with(Commit.POLICY, Commit.STRICT));
            int page = mm.pageSize();
            Cpu cpu = mm.cpu(0);
            mm.createFile("data", 4L * page, null).get();
            Process p = mm.spawn("app").get();
            long anon = mm.mmap(p, VirtAddr.NULL, Size.of(4L * page), RW, ANON, null, 0).get().value();
            assertTrue(cpu.fillRaw(p, anon, 2L * page, 1));
            assertEquals(0L, cpu.load(p, 8, anon + 2L * page).get());
            long f = mm.mmap(p, VirtAddr.NULL, Size.of(2L * page), Prot.READ, MapFlags.PRIVATE, "data", 0).get().value();
            assertEquals(2L * page, cpu.checkRaw(p, f, 2L * page, 0));
            long v = mm.mmap(p, VirtAddr.NULL, Size.of(2L * page), RW, ANON | Commit.MAP_NORESERVE, null, 0).get().value();
            assertTrue(cpu.fillRaw(p, v, 2L * page, 2));
            assertTrue(mm.makeVolatile(p, VirtAddr.of(v), Size.of(2L * page)).isRight());

            AddressSpaceStats s = mm.stats(p);
            // virtual 4+2+2; resident 2 written + 1 zero + 2 file + 2 volatile; shared the zero page and
            // the two file pages; dirty private the four written anonymous pages; committed the two
            // pages of the first mapping not backed (the one mapping the zero page, the untouched one).
            assertEquals(new AddressSpaceStats(8L * page, 7L * page, 3L * page, 4L * page, 2L * page, 2L * page, 2L * page), s, arch);
            assertEquals(s.residentBytes(), s.sharedBytes() + s.dirtyPrivateBytes());
            assertEquals("virtual:            32 KiB", s.lines().get(0));
            assertEquals("committed:          8 KiB", s.lines().get(6));
            String json = mm.views().statsJson(p);
            assertTrue(json.contains("\"dirtyPrivate\":16") && json.contains("\"cleanFileBacked\":8") && json.contains("\"unit\":\"KiB\""), json);

            // After a fork every written page is shared copy-on-write, in both processes.
            Process c = mm.fork(p, "child").get();
            AddressSpaceStats after = mm.stats(p);
            assertEquals(0L, after.dirtyPrivateBytes());
            assertEquals(7L * page, after.sharedBytes());
            assertEquals(2L * page, mm.stats(c).committedBytes(), "the child commits the parent's unused pages");
            Checks.assertConsistent(mm);
        }
    }
}
