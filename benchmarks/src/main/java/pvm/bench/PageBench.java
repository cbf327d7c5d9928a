package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.vm.page.BuddyPageAllocator;

/**
 * The page-allocator patterns of the foundation issue, each on a bare buddy allocator over 128 MiB
 * at physical 0 with the first 2 MiB taken, so the free blocks are 2, 4, 8, 16, 32 and 64 MiB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PageBench {

    static final long RAM = 128L << 20;
    static final long RESERVED = 2L << 20;
    static final int PAGE = 4096;
    static final int APP = PageFlags.OWNER_APP;

    /** A bare allocator with the i686 target's letters and {@code page_t}. */
    static BuddyPageAllocator bare() {
        Architecture pc = Architectures.named("i686").getOrElseThrow(message -> new IllegalStateException(message));
        return BuddyPageAllocator.bare(RAM, RESERVED, PAGE, pc::marker, pc.abi().pageT());
    }

    /** One page held so that its buddy stays free: alloc and free then neither split nor merge. */
    @State(Scope.Thread)
    public static class BestCase {
        BuddyPageAllocator pages;

        @Setup(Level.Trial)
        public void setUp() {
            pages = bare();
            if (pages.allocFrame(PAGE, APP) == PageFrames.NONE) {
                throw new IllegalStateException("cannot hold the first page");
            }
        }
    }

    /** The fresh state: one page out of the 2 MiB block is nine splits, its return nine merges. */
    @State(Scope.Thread)
    public static class Fresh {
        BuddyPageAllocator pages;

        @Setup(Level.Trial)
        public void setUp() {
            pages = bare();
        }
    }

    /** 1024 live blocks of 4..64 KiB; each step frees a random one and allocates a new one. */
    @State(Scope.Thread)
    public static class Mixed {
        static final int LIVE = 1024;
        static final long[] SIZES = {4 << 10, 8 << 10, 16 << 10, 32 << 10, 64 << 10};
        BuddyPageAllocator pages;
        XorShift64Star random;
        int[] live;

        @Setup(Level.Trial)
        public void setUp() {
            pages = bare();
            random = new XorShift64Star(0x5eed);
            live = new int[LIVE];
            for (int i = 0; i < LIVE; i++) {
                live[i] = allocOrFail();
            }
        }

        int allocOrFail() {
            int f = pages.allocFrame(SIZES[random.nextInt(SIZES.length)], APP);
            if (f == PageFrames.NONE) {
                throw new IllegalStateException("128 MiB cannot run out with 1024 blocks of at most 64 KiB");
            }
            return f;
        }
    }

    @Benchmark
    public int pageBestCase(BestCase s) {
        int f = s.pages.allocFrame(PAGE, APP);
        return s.pages.freeFrame(f);
    }

    @Benchmark
    public int pageSplitMerge(Fresh s) {
        int f = s.pages.allocFrame(PAGE, APP);
        return s.pages.freeFrame(f);
    }

    @Benchmark
    public int pageMixed(Mixed s) {
        int victim = s.random.nextInt(Mixed.LIVE);
        int rc = s.pages.freeFrame(s.live[victim]);
        s.live[victim] = s.allocOrFail();
        return rc;
    }
}
