package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/** {@code _page_showPages} formatting, with the ia32 markers. */
class PageMapPrinterTest {

    private static final int PAGE = 4096;
    private static final int B = PageFlags.OWNER_BOOT;
    private static final int K = PageFlags.OWNER_KERNEL;
    private static final int FREE = PageFlags.FREE;

    private final PageFrames frames = new PageFrames(1000, PAGE);

    private void add(long addr, int count, int flags) {
        for (int i = 0; i < count; i++) {
            frames.add(addr + (long) i * PAGE, flags);
        }
    }

    private List<String> lines() {
        return PageMapPrinter.lines(frames, Markers::ia32);
    }

    @Test
    void runsOfFiveOrMoreAreCountedShorterOnesSpelledOut() {
        add(0, 2, B);
        add(2 * PAGE, 5, FREE);
        add(7 * PAGE, 4, K);
        assertEquals(List.of("vm: BB[5.]KKKK"), lines());
    }

    @Test
    void gapsOfFourOrMorePagesAreCountedShorterOnesAreXs() {
        add(0, 1, B);
        add(0x5000, 1, FREE);  // 4 pages missing before it
        add(0x8000, 1, K);     // 2 pages missing
        assertEquals(List.of("vm: B[4x].xxK"), lines());
    }

    @Test
    void memoryNotStartingAtZeroBeginsWithAGap() {
        add(0x3000, 1, K);
        add(0x100000, 300, FREE);
        assertEquals(List.of("vm: xxxK[252x][300.]"), lines());
    }

    @Test
    void aRunBreaksAtAHoleEvenWithTheSameMarker() {
        add(0, 5, K);
        add(6 * PAGE, 2, K);
        assertEquals(List.of("vm: [5K]xKK"), lines());
    }

    @Test
    void linesWrapAtEightyColumnsEachWithThePrefix() {
        for (int i = 0; i < 200; i++) {
            add((long) i * PAGE, 1, i % 2 == 0 ? K : B);
        }
        List<String> lines = lines();
        assertEquals(3, lines.size());
        String pattern = "KB".repeat(100);
        assertEquals("vm: " + pattern.substring(0, 76), lines.get(0));
        assertEquals("vm: " + pattern.substring(76, 152), lines.get(1));
        assertEquals("vm: " + pattern.substring(152), lines.get(2));
        for (String l : lines) {
            assertTrue(l.length() <= 80);
        }
    }

    @Test
    void aCountedItemThatDoesNotFitStartsANewLine() {
        for (int i = 0; i < 74; i++) {
            add((long) i * PAGE, 1, i % 2 == 0 ? K : B); // ends with B at column 78
        }
        add(74L * PAGE, 10, K);
        assertEquals(List.of("vm: " + "KB".repeat(37), "vm: [10K]"), lines());
    }

    @Test
    void aCountedItemThatJustFitsStaysOnTheLine() {
        for (int i = 0; i < 71; i++) {
            add((long) i * PAGE, 1, i % 2 == 0 ? K : B); // 75 columns, ends with K
        }
        add(71L * PAGE, 10, FREE);
        assertEquals(List.of("vm: " + "KB".repeat(35) + "K[10.]"), lines());
    }

    @Test
    void noFramesPrintNothing() {
        assertEquals(List.of(), lines());
    }

    @Test
    void runsForPageInfoFollowTheSameBreaks() {
        add(0, 2, B);
        add(4 * PAGE, 3, B);
        add(7 * PAGE, 1, FREE);
        assertEquals(List.of(new PageRun(0, 2, 'B'), new PageRun(4 * PAGE, 3, 'B'), new PageRun(7 * PAGE, 1, '.')),
                PageMapPrinter.runs(frames, Markers::ia32));
    }

    @Test
    void ia32MarkersFollowOwnerAndUse() {
        assertEquals('.', Markers.ia32(PageFlags.FREE | PageFlags.OWNER_KERNEL));
        assertEquals('B', Markers.ia32(PageFlags.OWNER_BOOT));
        assertEquals('B', Markers.ia32(PageFlags.OWNER_BOOT | PageFlags.KERNEL_HEAP));
        assertEquals('K', Markers.ia32(PageFlags.OWNER_KERNEL));
        assertEquals('Y', Markers.ia32(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_SYSPAGE));
        assertEquals('C', Markers.ia32(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_CPU));
        assertEquals('P', Markers.ia32(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
        assertEquals('M', Markers.ia32(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PMAP));
        assertEquals('S', Markers.ia32(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_STACK));
        assertEquals('H', Markers.ia32(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP));
        assertEquals('K', Markers.ia32(PageFlags.OWNER_KERNEL | (7 << 4)));
        assertEquals('A', Markers.ia32(PageFlags.OWNER_APP));
        assertEquals('U', Markers.ia32(3 << 1));
    }
}
