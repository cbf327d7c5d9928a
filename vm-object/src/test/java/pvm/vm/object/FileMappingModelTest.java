package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmPagerTest.Proc;

/**
 * A seeded, model-based test of file mappings: address spaces map two files shared or private at
 * random offsets (some past the end of a file), read and write bytes through the fault path, unmap,
 * fork (lazily) and exit, and every read must match the model:
 *
 * <ul>
 *   <li>while a file has a live object (some mapping of it exists), a shared mapping and every page
 *       of a private mapping not yet written see the object's bytes, which shared writes change;</li>
 *   <li>a private page, once written, is the mapping's own (a fork gives the child a copy of it);</li>
 *   <li>when the last mapping of a file goes, the object and its bytes go (nothing is written back),
 *       and the next mapping sees the file as the store has it;</li>
 *   <li>pages past the end of the file fail with {@code EINVAL}; the tail of the last page reads 0.</li>
 * </ul>
 *
 * Every layer's checker runs after every step.
 */
class FileMappingModelTest {

    private static final int PAGE = FakeHal.PAGE;
    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int STEPS = 400;

    /** Replay a failure with {@code -Dpvm.seed=N}. */
    private final long seed = Long.getLong("pvm.seed", System.nanoTime());
    private final Random rnd = new Random(seed);

    private final TestStore store = new TestStore();
    private final Oid[] files = {store.add("f0", 5 * PAGE + PAGE / 2), store.add("f1", 2 * PAGE)};
    private final BootedVm m = BootedVm.init(store);
    private final PhysicalMemory ram = m.hal.memory();

    /** The object's bytes per file while it is live (null when not), padded with zeros to whole pages. */
    private final byte[][] current = new byte[files.length][];
    private final List<Space> spaces = new ArrayList<>();
    private int names;

    private record Space(VmMap map, Proc owner, List<Mapping> mappings) {
    }

    private static final class Mapping {
        final int file;
        final long va;
        final int pages;
        final int offsPages;
        final boolean shared;
        /** A private mapping's own pages, once written; null entries follow the object. */
        final byte[][] own;

        Mapping(int file, long va, int pages, int offsPages, boolean shared) {
            this.file = file;
            this.va = va;
            this.pages = pages;
            this.offsPages = offsPages;
            this.shared = shared;
            this.own = new byte[pages][];
        }

        Mapping copy() {
            Mapping c = new Mapping(file, va, pages, offsPages, shared);
            for (int i = 0; i < pages; i++) {
                c.own[i] = own[i] == null ? null : own[i].clone();
            }
            return c;
        }
    }

    @Test
    void sharedAndPrivateFileMappingsBehaveAsTheModelSays() {
        System.out.println("FileMappingModelTest: pvm.seed=" + seed);
        try {
            spaces.add(newSpace());
            for (int step = 0; step < STEPS; step++) {
                step(step);
                List<String> errors = m.verify();
                assertEquals(List.of(), errors, "after step " + step);
            }
            while (!spaces.isEmpty()) {
                exit(spaces.getFirst());
            }
            assertEquals(0, m.pager.objectCount());
            assertEquals(List.of(), m.verify());
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + " (replay with -Dpvm.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    private Space newSpace() {
        Proc owner = new Proc("p" + names++, true);
        VmMap map = m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(0x10000 + 64L * PAGE)).get();
        return new Space(map, owner, new ArrayList<>());
    }

    private void step(int step) {
        int op = rnd.nextInt(100);
        Space s = spaces.get(rnd.nextInt(spaces.size()));
        if (op < 20 || s.mappings.isEmpty()) {
            mmap(s);
        } else if (op < 28) {
            Mapping victim = s.mappings.get(rnd.nextInt(s.mappings.size()));
            munmap(s, victim);
        } else if (op < 31 && spaces.size() < 4) {
            fork(s);
        } else if (op < 33 && spaces.size() > 1) {
            exit(s);
        } else {
            Mapping x = s.mappings.get(rnd.nextInt(s.mappings.size()));
            int page = rnd.nextInt(x.pages);
            long at = (long) page * PAGE + rnd.nextInt(PAGE);
            if (op < 65) {
                write(s, x, at, rnd.nextInt(256));
            } else {
                read(s, x, at);
            }
        }
    }

    private int pagesOf(int file) {
        return (int) ((store.size(files[file]) + PAGE - 1) / PAGE);
    }

    private void mmap(Space s) {
        int file = rnd.nextInt(files.length);
        int offsPages = rnd.nextInt(pagesOf(file) + 1);
        int pages = 1 + rnd.nextInt(3);
        boolean shared = rnd.nextBoolean();
        VmObject o = m.pager.objectGet(files[file]).get();
        var r = s.map.mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) pages * PAGE), RW, o, (long) offsPages * PAGE,
                shared ? MapFlags.NONE : MapFlags.NEEDSCOPY, s.owner);
        m.pager.objectPut(o);
        if (r.isLeft()) {
            assertEquals("ENOMEM", r.getLeft().errno(), "only a full address space may refuse: " + r.getLeft());
            return;
        }
        if (current[file] == null) {
            byte[] b = Arrays.copyOf(store.contents(files[file]), pagesOf(file) * PAGE);
            current[file] = b;
        }
        s.mappings.add(new Mapping(file, r.get().value(), pages, offsPages, shared));
    }

    private void munmap(Space s, Mapping x) {
        s.map.munmap(VirtAddr.of(x.va), Size.of((long) x.pages * PAGE)).get();
        s.mappings.remove(x);
        forgetDeadObjects();
    }

    private void fork(Space parent) {
        Space child = newSpace();
        m.maps.copy(child.owner, child.map, parent.map, true).get();
        for (Mapping x : parent.mappings) {
            child.mappings.add(x.copy());
        }
        spaces.add(child);
    }

    private void exit(Space s) {
        m.maps.destroy(s.owner, s.map);
        spaces.remove(s);
        forgetDeadObjects();
    }

    /** A file no mapping refers to has no object any more: its bytes go back to the store's. */
    private void forgetDeadObjects() {
        for (int f = 0; f < files.length; f++) {
            boolean used = false;
            for (Space s : spaces) {
                for (Mapping x : s.mappings) {
                    used |= x.file == f;
                }
            }
            if (!used) {
                current[f] = null;
                assertEquals(true, m.pager.findObject(files[f]).isEmpty(), "file " + f + " has no mapping and no object");
            }
        }
    }

    /** The byte the model expects at {@code at} of the mapping, or -1 for "the fault fails". */
    private int expected(Mapping x, long at) {
        int page = (int) (at / PAGE);
        long fileOffs = (long) (x.offsPages + page) * PAGE + at % PAGE;
        if (x.offsPages + page >= pagesOf(x.file)) {
            return -1;
        }
        if (!x.shared && x.own[page] != null) {
            return x.own[page][(int) (at % PAGE)] & 0xff;
        }
        return current[x.file][(int) fileOffs] & 0xff;
    }

    private void read(Space s, Mapping x, long at) {
        int want = expected(x, at);
        int got = Faults.read8(ram, s.map, x.va + at);
        if (want < 0) {
            assertEquals(Errno.EINVAL, got, "a read past the end of the file");
        } else {
            assertEquals(want, got, String.format("byte 0x%x of a %s mapping of f%d at page %d", at, x.shared ? "shared" : "private",
                    x.file, x.offsPages));
        }
    }

    private void write(Space s, Mapping x, long at, int value) {
        int want = expected(x, at);
        int r = Faults.write8(ram, s.map, x.va + at, value);
        if (want < 0) {
            assertEquals(Errno.EINVAL, r, "a write past the end of the file");
            return;
        }
        assertEquals(0, r);
        int page = (int) (at / PAGE);
        if (x.shared) {
            current[x.file][(x.offsPages + page) * PAGE + (int) (at % PAGE)] = (byte) value;
        } else {
            if (x.own[page] == null) {
                int from = (x.offsPages + page) * PAGE;
                x.own[page] = Arrays.copyOfRange(current[x.file], from, from + PAGE);
            }
            x.own[page][(int) (at % PAGE)] = (byte) value;
        }
    }
}
