package pvm.hal.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {

    /** A PC-like layout: 640 KiB, a hole up to 1 MiB, RAM up to 4 MiB. */
    private static final BootMemoryMap PC = new BootMemoryMap(List.of(
            new BootMemoryMap.Bank("low", 0, 0xA0000), new BootMemoryMap.Bank("high", 0x100000, 0x400000)), List.of());

    @Test
    void readsBackWhatWasWrittenLittleEndian() {
        PhysicalMemory ram = new PhysicalMemory(PC);
        ram.write32(0x1000, 0x11223344L);
        assertEquals(0x44, ram.read8(0x1000));
        assertEquals(0x3344, ram.read16(0x1000));
        assertEquals(0x11223344L, ram.read32(0x1000));
        ram.fill(0x200000, 4096, 0xab);
        assertEquals(0xab, ram.read8(0x200fff));
        ram.copy(0x200000, 0x300000, 4096);
        assertEquals(0xababababL, ram.read32(0x300ffc));
        assertEquals(0, ram.read8(0x3ff000), "untouched RAM reads as zero");
    }

    @Test
    void firstNonZeroNamesTheExactByteOrMinusOne() {
        PhysicalMemory ram = new PhysicalMemory(PC);
        assertEquals(-1, ram.firstNonZero(0x200000, 4096), "untouched RAM is all zeros");
        ram.write8(0x200ffb, 7);
        assertEquals(0xffb, ram.firstNonZero(0x200000, 4096), "the byte inside the first non-zero word");
        assertEquals(-1, ram.firstNonZero(0x200000, 0xffb), "a range that ends before it");
        ram.write8(0x200002, 1);
        assertEquals(0, ram.firstNonZero(0x200002, 3), "a range shorter than a word");
        assertThrows(BusError.class, () -> ram.firstNonZero(0x9F000, 0x2000), "a range running into a hole");
    }

    @Test
    void accessesOutsideRamAreBusErrorsNotWraps() {
        PhysicalMemory ram = new PhysicalMemory(PC);
        BusError hole = assertThrows(BusError.class, () -> ram.read8(0xB8000));
        assertTrue(hole.getMessage().contains("hole"), hole.getMessage());
        assertEquals(0xB8000, hole.address());
        assertThrows(BusError.class, () -> ram.write32(0x400000, 1), "beyond the top");
        assertThrows(BusError.class, () -> ram.read32(0x9FFFE), "an access straddling the end of a bank");
        assertFalse(ram.isRam(0xA0000, 1));
        assertTrue(ram.isRam(0x9F000, 0x1000));
    }

    @Test
    void bootMemoryMapRefusesOverlappingBanks() {
        assertThrows(IllegalArgumentException.class, () -> new BootMemoryMap(List.of(
                new BootMemoryMap.Bank("a", 0, 0x2000), new BootMemoryMap.Bank("b", 0x1000, 0x3000)), List.of()));
        assertEquals(0x400000 - 0x60000, PC.ramBytes());
        assertEquals(0x400000, PC.top());
    }
}
