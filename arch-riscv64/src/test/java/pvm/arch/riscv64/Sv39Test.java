package pvm.arch.riscv64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;

/** The entry format and the address split, as the privileged specification draws them, and the walk as told. */
class Sv39Test {

    @Test
    void entryBitsAreThoseOfTheSpecification() {
        assertEquals(0x01, Sv39.V);
        assertEquals(0x02, Sv39.R);
        assertEquals(0x04, Sv39.W);
        assertEquals(0x08, Sv39.X);
        assertEquals(0x10, Sv39.U);
        assertEquals(0x20, Sv39.G);
        assertEquals(0x40, Sv39.A);
        assertEquals(0x80, Sv39.D);
        assertEquals(0xc1, Sv39.ENTERED);
        long pte = Sv39.pte(0x00ff_ffff_ffff_f000L, Sv39.V);
        assertEquals(0x003f_ffff_ffff_fc01L, pte, "a 44-bit PPN in bits 10..53");
        assertEquals(0x00ff_ffff_ffff_f000L, Sv39.addr(pte));
        assertEquals(0, Sv39.addr(0xffc0_0000_0000_03ffL), "bits 54..63 and 0..9 are not address");
    }

    @Test
    void anAddressSplitsIntoThreeNineBitIndicesAndAnOffset() {
        long va = (123L << 30) | (456L << 21) | (300L << 12) | 0xabc;
        assertEquals(123, Sv39.index(va, 2));
        assertEquals(456, Sv39.index(va, 1));
        assertEquals(300, Sv39.index(va, 0));
        assertEquals(255, Sv39.index(Sv39.VADDR_KERNEL, 2));
        assertEquals(511, Sv39.index(Sv39.VADDR_DTB, 2));
    }

    @Test
    void canonicalMeansBits63To39EqualBit38() {
        assertTrue(Sv39.isCanonical(0));
        assertTrue(Sv39.isCanonical((1L << 38) - 1));
        assertFalse(Sv39.isCanonical(1L << 38));
        assertFalse(Sv39.isCanonical(1L << 39));
        assertTrue(Sv39.isCanonical(-(1L << 38)));
        assertTrue(Sv39.isCanonical(Sv39.VADDR_DTB));
        assertFalse(Sv39.isCanonical(0x8000_0000_0000_0000L));
    }

    @Test
    void attributesBecomeLeafBitsAsPmapEnterWritesThem() {
        assertEquals(0xc3, Sv39.leafBits(Attr.PRESENT), "read-only: R");
        assertEquals(0xc7, Sv39.leafBits(Attr.PRESENT | Attr.WRITE), "writable always readable");
        assertEquals(0xdf, Sv39.leafBits(Attr.PRESENT | Attr.WRITE | Attr.EXEC | Attr.USER));
        assertEquals(0xc3, Sv39.leafBits(Attr.PRESENT | Attr.DEVICE | Attr.NOT_CACHED), "PGHD_DEV and PGHD_NOT_CACHED are 0");
        assertEquals(0, Sv39.leafBits(Attr.USER) & Sv39.V, "not present: V clear");
        // Phoenix enters every leaf with A and D set (0xc1 | attributes): they read back as status.
        assertEquals(Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.ACCESSED | Attr.DIRTY,
                Sv39.attrOf(Sv39.leafBits(Attr.PRESENT | Attr.WRITE | Attr.USER)));
        assertEquals(0, Sv39.attrOf(Sv39.leafBits(Attr.USER)));
        assertEquals("V R W U A D", Sv39.describeBits(0xd7));
        assertEquals("V (points at the next level)", Sv39.describeBits(Sv39.V));
        assertEquals("invalid", Sv39.describeBits(0xd6));
    }

    @Test
    void theWalkDescriptionShowsSatpAndEveryLevelIn64BitHex() {
        TestMachine m = new TestMachine(16L << 20, 1);
        Riscv64Pmap u = m.user();
        long va = 0x12_3456_7000L;
        long pa = m.page();
        m.map(u, va, pa, Attr.PRESENT | Attr.WRITE | Attr.USER);
        long l2Before = m.entry(u, va, 2);
        String walk = m.cpu(0).describeWalk(u, va + 0x10);
        assertTrue(walk.contains(String.format("satp = 0x%016x  MODE 8 (Sv39), ASID 0, root at 0x%016x", Sv39.satp(u.root().value()), u.root().value())), walk);
        assertTrue(walk.contains(String.format("L2[%3d] at 0x%016x = 0x%016x  V (points at the next level)",
                Sv39.index(va, 2), u.root().value() + Sv39.index(va, 2) * 8L, l2Before)), walk);
        assertTrue(walk.contains("L1["), walk);
        assertTrue(walk.contains(String.format("L0[%3d]", Sv39.index(va, 0))) && walk.contains("V R W U A D"), walk);
        assertTrue(walk.contains(String.format("-> 0x%016x maps 0x%016x, user rw-", va + 0x10, pa + 0x10)), walk);
        long misses = m.cpu(0).tlbMisses();
        assertEquals(misses, m.cpu(0).tlbMisses(), "describing walks nothing");
        assertTrue(m.cpu(0).describeWalk(u, va + Sv39.MEGA).contains("L1[") && m.cpu(0).describeWalk(u, va + Sv39.MEGA).contains("invalid"));
        assertTrue(m.cpu(0).describeWalk(u, 1L << 40).contains("not canonical"));
        assertTrue(m.cpu(0).describeWalk(u, Sv39.VADDR_DTB).contains("1 GiB superpage"));
        assertEquals(13, Scause.of(Access.READ));
    }
}
