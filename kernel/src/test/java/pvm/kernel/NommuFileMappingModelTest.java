package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * A seeded, model-based test of no-MMU file mappings: random shared and private mappings, stores,
 * munmaps (whole and partial) and exits of a few processes, checked after every step against a
 * reference model of regions (Linux's sharing rules) and private copies: every mapping's bytes,
 * every file as a reader sees it, the predicted address of a mapping inside a region, every
 * checker. At the end every process exits and the accounting is back where it started.
 */
class NommuFileMappingModelTest {

    private static final int SEEDS = 12;
    private static final int STEPS = 120;

    /** A region as the model sees it: the file's bytes {@code [offs, offs+bytes.length)} at {@code addr}. */
    private static final class Region {
        final String file;
        final long offs;
        final byte[] bytes;
        final long addr;
        int shares;

        Region(String file, long offs, byte[] bytes, long addr) {
            this.file = file;
            this.offs = offs;
            this.bytes = bytes;
            this.addr = addr;
        }

        boolean holds(long at) {
            return at >= offs && at < offs + bytes.length;
        }
    }

    /** One process's mapping: shared (its bytes are its region's) or private (its own copy). */
    private record Mapping(Region region, long addr, int size, byte[] copy) {
        int read(int i) {
            return region != null ? region.bytes[(int) (addr - region.addr) + i] & 0xff : copy[i] & 0xff;
        }

        void write(int i, byte b) {
            if (region != null) {
                region.bytes[(int) (addr - region.addr) + i] = b;
            } else {
                copy[i] = b;
            }
        }
    }

    @Test
    void randomMappingsAgreeWithTheModel() {
        long base = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("NommuFileMappingModelTest: pvm.seed=" + base);
        for (long seed = base; seed < base + SEEDS; seed++) {
            try {
                run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay with -Dpvm.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private void run(long seed) {
        Random rnd = new Random(seed);
        Machine m = Machine.bootDefault(Architectures.named("nommu").get());
        int page = m.pageSize();
        Cpu cpu = m.cpu(0);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a", randomBytes(rnd, 5 * page));
        files.put("b", randomBytes(rnd, 2 * page + page / 2));
        files.forEach((name, bytes) -> m.createFile(name, bytes.length, bytes).get());
        Accounting start = m.accounting();

        List<Region> regions = new ArrayList<>();
        Map<Process, List<Mapping>> procs = new LinkedHashMap<>();
        int spawned = 0;

        for (int step = 0; step < STEPS; step++) {
            if (procs.size() < 3 && (procs.isEmpty() || rnd.nextInt(8) == 0)) {
                procs.put(m.spawn("p" + spawned++).get(), new ArrayList<>());
                continue;
            }
            List<Process> live = new ArrayList<>(procs.keySet());
            Process p = live.get(rnd.nextInt(live.size()));
            List<Mapping> mine = procs.get(p);
            String file = rnd.nextBoolean() ? "a" : "b";
            byte[] original = files.get(file);
            int op = rnd.nextInt(10);
            String what;
            if (op < 3) {
                long offs = (long) rnd.nextInt(original.length / page + 2) * page;
                int size = (1 + rnd.nextInt(3)) * page;
                what = String.format("shared %s +0x%x 0x%x by %s", file, offs, size, p);
                Either<VmError, VirtAddr> r = m.mmap(p, VirtAddr.NULL, Size.of(size), Prot.READ | Prot.WRITE,
                        MemorySyscalls.MAP_SHARED_REQUEST, file, offs);
                Region overlap = null;
                boolean inside = false;
                for (Region g : regions) {
                    if (g.file.equals(file) && offs < g.offs + g.bytes.length && g.offs < offs + size) {
                        overlap = g;
                        inside = offs >= g.offs && offs + size <= g.offs + g.bytes.length;
                        break;
                    }
                }
                if (overlap != null && !inside) {
                    assertEquals("EINVAL", r.getLeft().errno(), what + ": a sharing violation");
                } else if (overlap != null) {
                    long at = overlap.addr + (offs - overlap.offs);
                    assertEquals(at, r.get().value(), what + ": inside a region, at its bytes");
                    overlap.shares++;
                    mine.add(new Mapping(overlap, at, size, null));
                } else {
                    long at = r.getOrElseThrow(e -> new AssertionError(what + ": " + e.message())).value();
                    Region g = new Region(file, offs, view(files, regions, file, offs, size), at);
                    g.shares = 1;
                    regions.add(g);
                    mine.add(new Mapping(g, at, size, null));
                }
            } else if (op < 5) {
                long offs = (long) rnd.nextInt(original.length / page + 2) * page;
                int size = (1 + rnd.nextInt(3)) * page;
                what = String.format("private %s +0x%x 0x%x by %s", file, offs, size, p);
                long at = m.mmap(p, VirtAddr.NULL, Size.of(size), Prot.READ | Prot.WRITE, MapFlags.PRIVATE, file, offs)
                        .getOrElseThrow(e -> new AssertionError(what + ": " + e.message())).value();
                mine.add(new Mapping(null, at, size, view(files, regions, file, offs, size)));
            } else if (op < 8 && !mine.isEmpty()) {
                Mapping x = mine.get(rnd.nextInt(mine.size()));
                int i = rnd.nextInt(x.size());
                byte b = (byte) rnd.nextInt(256);
                what = String.format("store at 0x%x by %s", x.addr() + i, p);
                assertTrue(cpu.store(p, 8, x.addr() + i, b & 0xff).isRight(), what);
                x.write(i, b);
            } else if (op < 9 && !mine.isEmpty()) {
                Mapping x = mine.remove(rnd.nextInt(mine.size()));
                what = String.format("munmap 0x%x+0x%x by %s", x.addr(), x.size(), p);
                if (x.region() != null && x.size() > page && rnd.nextBoolean()) {
                    assertEquals("EINVAL", m.munmap(p, VirtAddr.of(x.addr()), Size.of(page)).getLeft().errno(), what + " (a part)");
                }
                assertTrue(m.munmap(p, VirtAddr.of(x.addr()), Size.of(x.size())).isRight(), what);
                release(regions, x);
            } else {
                what = "exit " + p;
                assertTrue(m.exit(p).isRight(), what);
                procs.remove(p).forEach(x -> release(regions, x));
            }

            List<String> violations = m.verify();
            assertTrue(violations.isEmpty(), () -> what + ": " + violations);
            for (Map.Entry<Process, List<Mapping>> e : procs.entrySet()) {
                for (Mapping x : e.getValue()) {
                    int i = rnd.nextInt(x.size());
                    long got = cpu.load(e.getKey(), 8, x.addr() + i).getOrElseThrow(s -> new AssertionError(s.describe()));
                    assertEquals(x.read(i), got, what + ": byte " + i + " of " + e.getKey() + "'s mapping at 0x"
                            + Long.toHexString(x.addr()));
                }
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                int n = f.getValue().length;
                assertArrayEquals(view(files, regions, f.getKey(), 0, n), m.readFile(f.getKey(), 0, n).get(),
                        what + ": file " + f.getKey() + " as a reader sees it");
            }
            assertEquals(regions.size(), m.sharedRegions().size(), what + ": live regions");
        }

        for (Process p : new ArrayList<>(procs.keySet())) {
            m.exit(p).get();
        }
        assertEquals("", m.accounting().differencesFrom(start), "everything given back");
        assertEquals(0, m.pager().objectCount());
        Checks.assertConsistent(m);
    }

    private static void release(List<Region> regions, Mapping x) {
        if (x.region() != null && --x.region().shares == 0) {
            regions.remove(x.region());
        }
    }

    /** The bytes of {@code file} from {@code offs}: a region's where one holds them, else the file's, zeros past its end. */
    private static byte[] view(Map<String, byte[]> files, List<Region> regions, String file, long offs, int length) {
        byte[] original = files.get(file);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = offs + i;
            Region holder = null;
            for (Region g : regions) {
                if (g.file.equals(file) && g.holds(at)) {
                    holder = g;
                }
            }
            out[i] = holder != null ? holder.bytes[(int) (at - holder.offs)] : at < original.length ? original[(int) at] : 0;
        }
        return out;
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void theModelsViewIsTheFileWithoutRegions() {
        Map<String, byte[]> files = Map.of("f", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {2, 3, 0, 0}, view(files, List.of(), "f", 1, 4));
        Region g = new Region("f", 0, new byte[] {9, 9}, 0x80000000L);
        assertArrayEquals(new byte[] {9, 3}, view(files, List.of(g), "f", 1, 2));
    }
}
