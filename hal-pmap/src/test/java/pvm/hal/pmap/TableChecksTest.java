package pvm.hal.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TableChecksTest {

    private static final int PTABLE = PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE;

    private static PageFrames oneFrame(int flags) {
        PageFrames frames = new PageFrames(1, 4096);
        frames.add(0x1000, flags);
        return frames;
    }

    @Test
    void aTableFrameIsMarkedPtableEvenOverAnEarlierUse() {
        assertNull(TableChecks.notATable(oneFrame(PTABLE), 0x1000));
        // The allocator ORs flags: a former kmalloc zone page now holding a table reads heap|ptable.
        assertNull(TableChecks.notATable(oneFrame(PTABLE | PageFlags.KERNEL_HEAP), 0x1000));
        assertEquals("in a frame marked kernel/heap, not kernel/ptable",
                TableChecks.notATable(oneFrame(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP), 0x1000));
        assertEquals("in no frame (not RAM)", TableChecks.notATable(oneFrame(PTABLE), 0x9000));
    }
}
