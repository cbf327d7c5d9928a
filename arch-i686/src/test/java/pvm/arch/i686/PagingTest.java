package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;

class PagingTest {

    @Test
    void entryBitsAreThoseOfTheIntelSdm() {
        assertEquals(0x001, Paging.P);
        assertEquals(0x002, Paging.RW);
        assertEquals(0x004, Paging.US);
        assertEquals(0x008, Paging.PWT);
        assertEquals(0x010, Paging.PCD);
        assertEquals(0x020, Paging.A);
        assertEquals(0x040, Paging.D);
        assertEquals(0x080, Paging.PS);
        assertEquals(0x080, Paging.PAT);
        assertEquals(0x100, Paging.G);
        assertEquals(0xffff_f000L, Paging.FRAME_MASK);
        assertEquals(0x007, Paging.PTHD, "_pmap_enter's PDE: PTHD_USER | PTHD_WRITE | PTHD_PRESENT");
        assertEquals(768, Paging.KERNEL_SLOT);
    }

    @Test
    void attributesTranslateToTheBitsPhoenixPghdMacrosExpandTo() {
        assertEquals(0x001, Paging.pteBits(Attr.PRESENT));
        assertEquals(0x003, Paging.pteBits(Attr.PRESENT | Attr.WRITE));
        assertEquals(0x007, Paging.pteBits(Attr.PRESENT | Attr.WRITE | Attr.USER));
        assertEquals(0x005, Paging.pteBits(Attr.PRESENT | Attr.USER | Attr.EXEC), "EXEC has no bit without PAE");
        assertEquals(0x011, Paging.pteBits(Attr.PRESENT | Attr.NOT_CACHED), "PGHD_NOT_CACHED = PCD");
        assertEquals(0x019, Paging.pteBits(Attr.PRESENT | Attr.DEVICE), "PGHD_DEV = PCD | PWT");
        assertEquals(0x004, Paging.pteBits(Attr.USER), "no PRESENT, no P: the NULL page");
        assertEquals(0x000, Paging.pteBits(Attr.READ));
    }

    @Test
    void presentEntriesDecodeBackToTheirAttributesExceptExec() {
        for (int attr = 0; attr <= Paging.KNOWN_ATTRS; attr++) {
            if ((attr & ~Paging.KNOWN_ATTRS) != 0) {
                continue;
            }
            int decoded = Paging.attrOf(Paging.pteBits(attr));
            if ((attr & Attr.PRESENT) == 0) {
                assertEquals(0, decoded, "a not-present entry has no attributes");
                continue;
            }
            int expected = attr & ~Attr.EXEC;
            if ((expected & Attr.DEVICE) != 0) {
                expected &= ~Attr.NOT_CACHED; // DEVICE already contains PCD
            }
            assertEquals(expected, decoded, "attr 0x" + Integer.toHexString(attr));
        }
    }

    @Test
    void accessedAndDirtyReadBackAsStatusAndWriteThroughAloneIsNotReported() {
        long pte = 0x1234_5000L | Paging.P | Paging.RW | Paging.A | Paging.D | Paging.PWT;
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.ACCESSED | Attr.DIRTY, Paging.attrOf(pte));
        assertEquals(Attr.PRESENT | Attr.WRITE, Paging.attrOf(0x1234_5000L | Paging.P | Paging.RW | Paging.PWT));
    }

    @Test
    void indicesSplitTheAddressTenTenTwelve() {
        assertEquals(0x3ff, Paging.pdi(0xffff_ffffL));
        assertEquals(0x3ff, Paging.pti(0xffff_ffffL));
        assertEquals(768, Paging.pdi(0xc000_0000L));
        assertEquals(0x15a, Paging.pti(0xc015_a000L));
        assertEquals(1, Paging.pdi(0x0040_0000L));
        assertEquals(1, Paging.pti(0x0000_1fffL));
    }

    @Test
    void bitsAreDescribedByTheirSdmNames() {
        assertEquals("P R/W U A D", Paging.describeBits(0x67, false));
        assertEquals("P R S PCD PS", Paging.describeBits(0x91, true));
        assertEquals("P R S PAT G", Paging.describeBits(0x181, false));
        assertEquals("not present", Paging.describeBits(0x66, false));
    }
}
