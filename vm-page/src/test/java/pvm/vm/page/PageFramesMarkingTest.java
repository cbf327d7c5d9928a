package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/**
 * {@link PageFrames#markAllocated} and {@link PageFrames#markFree}, which the buddy allocator marks
 * a block's pages with, eight at a time where it can: every frame must end as the byte-at-a-time
 * loop leaves it (free bit cleared or set, every other bit kept, the new bits ORed in), whatever the
 * block's start, length and the flags its pages had. (hal-pmap has no tests of its own; the page
 * allocator is the user of these.)
 */
class PageFramesMarkingTest {

    private static final int N = 300;

    private static PageFrames frames(SplittableRandom rnd, int[] shadow) {
        PageFrames frames = new PageFrames(N, 4096);
        for (int f = 0; f < N; f++) {
            shadow[f] = rnd.nextInt(256);
            frames.add((long) f * 4096, shadow[f]);
        }
        return frames;
    }

    @Test
    void markingMatchesThePageByPageLoop() {
        SplittableRandom rnd = new SplittableRandom(20261121);
        int[] shadow = new int[N];
        PageFrames frames = frames(rnd, shadow);
        for (int step = 0; step < 5000; step++) {
            int from = rnd.nextInt(N);
            int n = rnd.nextInt(Math.min(40, N - from) + 1);
            if (rnd.nextBoolean()) {
                int bits = rnd.nextInt(128) << 1; // a flag byte without the free bit
                frames.markAllocated(from, n, bits);
                for (int i = from; i < from + n; i++) {
                    shadow[i] = (shadow[i] & ~PageFlags.FREE) | bits;
                }
            } else {
                frames.markFree(from, n);
                for (int i = from; i < from + n; i++) {
                    shadow[i] |= PageFlags.FREE;
                }
            }
            for (int f = 0; f < N; f++) {
                assertEquals(shadow[f], frames.flags(f), "step " + step + ", frame " + f + " after [" + from + ", +" + n + ")");
            }
        }
    }

    @Test
    void aBlockPastTheTableMarksWhatIsThereAndThenFailsAsTheLoopDid() {
        int[] shadow = new int[N];
        PageFrames frames = frames(new SplittableRandom(7), shadow);
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> frames.markFree(N - 4, 16));
        for (int f = N - 4; f < N; f++) {
            assertEquals(shadow[f] | PageFlags.FREE, frames.flags(f), "frame " + f);
        }
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> frames.markAllocated(-3, 16, PageFlags.OWNER_APP));
        assertEquals(shadow[0], frames.flags(0), "nothing marked before the failing first frame");
    }
}
