package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

class I686PmapTest {

    private final TestMachine m = new TestMachine(64L << 20, 2);
    private final I686Pmap user = m.user();

    @Test
    void enterWritesBitExactEntriesForEveryAttributeCombination() {
        long pa = m.page();
        long va = 0x0800_0000L;
        m.map(user, va, pa, Attr.PRESENT); // creates the table
        long table = m.pde(user, va) & Paging.FRAME_MASK;
        assertEquals(table | 0x007, m.pde(user, va), "PDE: frame | U/S | R/W | P");

        for (int attr = 0; attr <= Paging.KNOWN_ATTRS; attr++) {
            long at = va + (long) attr * 4096;
            assertEquals(Pmap.EnterResult.OK, user.enter(PhysAddr.of(pa), VirtAddr.of(at), attr, Frame.NONE));
            long expected = pa;
            expected |= (attr & Attr.PRESENT) != 0 ? 0x01 : 0;
            expected |= (attr & Attr.WRITE) != 0 ? 0x02 : 0;
            expected |= (attr & Attr.USER) != 0 ? 0x04 : 0;
            expected |= (attr & Attr.NOT_CACHED) != 0 ? 0x10 : 0;
            expected |= (attr & Attr.DEVICE) != 0 ? 0x18 : 0;
            long raw = m.memory().read32(table + (long) Paging.pti(at) * 4);
            assertEquals(expected, raw, "attr 0x" + Integer.toHexString(attr));
        }
        assertEquals(pa | 0x1f, m.pte(user, va + (Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.DEVICE) * 4096L));
    }

    @Test
    void aMissingTableIsAskedForAndNothingChangesUntilOneIsOffered() {
        long pa = m.page();
        VirtAddr va = VirtAddr.of(0x4000_1000L);
        assertEquals(Pmap.EnterResult.NEEDS_PTABLE, user.enter(PhysAddr.of(pa), va, Attr.PRESENT | Attr.USER, Frame.NONE));
        assertEquals(0L, m.pde(user, va.value()), "no PDE written");
        assertTrue(user.resolve(va).isNone());

        Frame table = m.alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        m.memory().fill(m.addr(table), 4096, 0xee);
        assertEquals(Pmap.EnterResult.OK, user.enter(PhysAddr.of(pa), va, Attr.PRESENT | Attr.USER, table));
        assertEquals(m.addr(table) | 7, m.pde(user, va.value()));
        assertEquals(pa | 5, m.pte(user, va.value()));
        assertEquals(0L, m.pte(user, va.value() + 4096), "the rest of the new table is zeroed");
        assertEquals(PhysAddr.of(pa + 0x123), user.resolve(va.plus(0x123)));
        assertEquals(Attr.PRESENT | Attr.USER, user.attributes(va));

        // A second page in the same slot needs no table, and an offered one stays unused.
        Frame spare = m.alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        assertEquals(Pmap.EnterResult.OK, user.enter(PhysAddr.of(pa), va.plus(4096), Attr.PRESENT, spare));
        assertEquals(m.addr(table) | 7, m.pde(user, va.value()));
    }

    @Test
    void badArgumentsAreRefusedWithoutTouchingTheTables() {
        long pa = m.page();
        assertThrows(IllegalArgumentException.class, () -> user.enter(PhysAddr.NONE, VirtAddr.of(0x1000), Attr.PRESENT, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> user.enter(PhysAddr.of(1L << 32), VirtAddr.of(0x1000), Attr.PRESENT, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> user.enter(PhysAddr.of(pa), VirtAddr.of(1L << 32), Attr.PRESENT, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> user.enter(PhysAddr.of(pa), VirtAddr.of(0x1000), 0x40, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> user.enter(PhysAddr.of(pa), VirtAddr.of(0x1000), Attr.PRESENT, new Frame(99_999)));
        assertEquals(0L, m.pde(user, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> user.resolve(VirtAddr.of(1L << 32)));
    }

    @Test
    void theNullPageIsEnteredNotPresent() {
        I686Pmap kernel = m.kernel();
        m.map(kernel, 0, 0, Attr.USER); // _page_init's NULL pointer entry
        assertEquals(0x4L, m.pte(kernel, 0), "U/S without P");
        assertTrue(kernel.resolve(VirtAddr.NULL).isNone());
        assertEquals(0, kernel.attributes(VirtAddr.NULL));
    }

    @Test
    void removeClearsEveryPageOfTheRangeEvenPastSlotsWithoutATable() {
        long pa = m.page();
        // Slot 0 has no table; slots 1 and 3 have one each.
        m.map(user, 0x0040_0000L, pa, Attr.PRESENT | Attr.USER);
        m.map(user, 0x0040_1000L, pa, Attr.PRESENT | Attr.USER);
        m.map(user, 0x00c0_0000L, pa, Attr.PRESENT | Attr.USER);
        m.map(user, 0x0100_0000L, pa, Attr.PRESENT | Attr.USER); // slot 4, outside the range
        user.remove(VirtAddr.of(0), VirtAddr.of(0x0100_0000L));
        // Phoenix's _pmap_remove would stop advancing at address 0 and leave all three.
        assertTrue(user.resolve(VirtAddr.of(0x0040_0000L)).isNone());
        assertTrue(user.resolve(VirtAddr.of(0x0040_1000L)).isNone());
        assertTrue(user.resolve(VirtAddr.of(0x00c0_0000L)).isNone());
        assertEquals(PhysAddr.of(pa), user.resolve(VirtAddr.of(0x0100_0000L)), "end is exclusive");
        assertNotEquals(0L, m.pde(user, 0x0040_0000L), "tables stay until destroy");
    }

    @Test
    void removeOfAnUnalignedRangeCoversEveryPageItTouches() {
        long pa = m.page();
        for (long va = 0x1000_0000L; va < 0x1000_4000L; va += 4096) {
            m.map(user, va, pa, Attr.PRESENT);
        }
        user.remove(VirtAddr.of(0x1000_1800L), VirtAddr.of(0x1000_2800L));
        assertFalse(user.resolve(VirtAddr.of(0x1000_0000L)).isNone());
        assertTrue(user.resolve(VirtAddr.of(0x1000_1000L)).isNone());
        assertTrue(user.resolve(VirtAddr.of(0x1000_2000L)).isNone());
        assertFalse(user.resolve(VirtAddr.of(0x1000_3000L)).isNone());
        user.remove(VirtAddr.of(0x1000_3000L), VirtAddr.of(0x1000_3000L));
        assertFalse(user.resolve(VirtAddr.of(0x1000_3000L)).isNone(), "an empty range removes nothing");
    }

    @Test
    void destroyHandsBackEveryUserTableOnceAndNoKernelTable() {
        long pa = m.page();
        m.map(m.kernel(), 0xc080_0000L, pa, Attr.PRESENT); // a kernel table, shared: never handed back
        I686Pmap user = m.user();
        assertNotEquals(0L, m.pde(user, 0xc080_0000L));
        long[] vas = {0x0000_1000L, 0x0040_0000L, 0x1900_0000L, 0xbfff_f000L};
        Set<Long> tables = new HashSet<>();
        for (long va : vas) {
            m.map(user, va, pa, Attr.PRESENT | Attr.USER);
            tables.add(m.pde(user, va) & Paging.FRAME_MASK);
        }
        assertEquals(4, tables.size());
        Pmap.DestroyCursor cursor = new Pmap.DestroyCursor();
        List<Long> handedBack = new ArrayList<>();
        for (PhysAddr t = user.destroy(cursor); !t.isNone(); t = user.destroy(cursor)) {
            handedBack.add(t.value());
        }
        assertEquals(4, handedBack.size());
        assertEquals(tables, new HashSet<>(handedBack));
        List<Long> inDirectoryOrder = new ArrayList<>();
        for (long va : vas) {
            inDirectoryOrder.add(m.pde(user, va) & Paging.FRAME_MASK);
        }
        assertEquals(inDirectoryOrder, handedBack);
        assertTrue(user.destroy(cursor).isNone(), "and stays done");
        assertEquals(768, cursor.position);
    }

    @Test
    void belongsIsAllowedAndAddMapFollowTheMmuContract() {
        assertTrue(user.belongs(VirtAddr.of(0)));
        assertTrue(user.belongs(VirtAddr.of(0xbfff_ffffL)));
        assertFalse(user.belongs(VirtAddr.of(0xc000_0000L)));
        assertTrue(user.isAllowed(VirtAddr.of(0xc000_0000L), Size.of(4096)));
        assertFalse(user.addMap(0));
        assertEquals(user.root(), PhysAddr.of(user.cr3()));
    }
}
