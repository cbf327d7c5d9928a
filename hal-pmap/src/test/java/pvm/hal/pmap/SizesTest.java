package pvm.hal.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void bitHelpersBehaveAsTheIa32Wrappers() {
        assertEquals(0, Sizes.lastBit(0), "bsr of 0 reads as 0");
        assertEquals(0, Sizes.firstBit(0), "bsf of 0 reads as 0");
        assertEquals(21, Sizes.firstBit(0x200000));
        assertEquals(12, Sizes.lastBit(0x1fff));
        assertEquals(12, Sizes.orderFor(4096));
        assertEquals(13, Sizes.orderFor(4097), "a size between powers of two rounds up");
        assertEquals(4, Sizes.orderFor(16));
    }

    @Test
    void parsesTheSizesUsersWrite() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(4096, Sizes.parse("0x1000"));
        assertEquals(64 << 10, Sizes.parse("64K"));
        assertEquals(128L << 20, Sizes.parse("128M"));
        assertEquals(4L << 30, Sizes.parse("4G"));
        for (String bad : new String[] {"", "12Q", "-4K", "0x", "K"}) {
            NumberFormatException e = assertThrows(NumberFormatException.class, () -> Sizes.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("expected a size"), e.getMessage());
        }
    }

    @Test
    void printsSizesAsAPersonReadsThem() {
        assertEquals("4 KiB", Sizes.human(4096));
        assertEquals("1536 B", Sizes.human(1536));
        assertEquals("4 GiB", Sizes.human(4L << 30));
    }
}
