package pvm.arch.nommu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

class NommuPmapTest {

    private static final long DRAM = NommuBoard.DRAM_START;
    private static final long DRAM_END = DRAM + (8L << 20);

    private final NommuHal hal = new NommuHal(new NommuArchitecture(), new MachineConfig(8L << 20, 1));
    private final NommuPmap p = (NommuPmap) hal.create(hal.init().kernel(), Frame.NONE);

    private boolean allowed(long va, long size) {
        return p.isAllowed(VirtAddr.of(va), Size.of(size));
    }

    @Test
    void addMapEnablesTheWholeMapAndNothingElse() {
        assertFalse(allowed(DRAM, 4));
        assertTrue(p.addMap(NommuBoard.DRAM));
        assertTrue(allowed(DRAM, 8L << 20), "the whole map");
        assertTrue(allowed(DRAM_END - 4, 4), "its last word");
        assertFalse(allowed(NommuBoard.OCRAM_START, 4), "other maps stay disabled");
        assertTrue(allowed(0x10, 4), "the kernel code map stays enabled");
    }

    @Test
    void rangesMayNotRunOffTheEndOfAnEnabledMap() {
        p.addMap(NommuBoard.DRAM);
        assertFalse(allowed(DRAM_END - 4, 5), "one byte past the end of SDRAM");
        assertFalse(allowed(DRAM, (8L << 20) + 1));
        assertFalse(allowed(DRAM_END, 0), "the end itself is outside");
        assertTrue(allowed(DRAM_END - 1, 0), "an empty range at an allowed address");
        assertFalse(allowed(DRAM - 4, 8), "starting in the hole below SDRAM");
        assertFalse(allowed(DRAM, Long.MAX_VALUE), "no overflow on a huge size");
    }

    @Test
    void rangeRunningPastTheKernelCodeMapIsRefusedWhateverElseIsEnabled() {
        // ITCM ends at 0x28000 and nothing follows it until DTCM; even with both enabled no single
        // map holds a range that crosses ITCM's end.
        p.addMap(NommuBoard.DTCM);
        long itcmEnd = NommuBoard.ITCM_START + NommuBoard.ITCM_SIZE;
        assertTrue(allowed(itcmEnd - 16, 16));
        assertFalse(allowed(itcmEnd - 16, 17));
    }

    @Test
    void unknownMapIdsAreRefusedAndChangeNothing() {
        int before = p.regions();
        for (int id : new int[] {-1, 4, 5, 31, 32, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertFalse(p.addMap(id), "map " + id);
            assertEquals(before, p.regions(), "map " + id);
        }
    }

    @Test
    void addMapIsIdempotent() {
        assertTrue(p.addMap(NommuBoard.OCRAM));
        int once = p.regions();
        assertTrue(p.addMap(NommuBoard.OCRAM));
        assertEquals(once, p.regions());
        assertEquals((1 << NommuBoard.ITCM) | (1 << NommuBoard.OCRAM), once);
    }

    @Test
    void processPmapBelongsEverywhereInThe32BitSpace() {
        assertTrue(p.belongs(VirtAddr.of(0)));
        assertTrue(p.belongs(VirtAddr.of(0xffff_ffffL)));
        assertFalse(p.belongs(VirtAddr.of(1L << 32)));
    }

    @Test
    void toStringNamesTheEnabledMaps() {
        p.addMap(NommuBoard.DRAM);
        assertTrue(p.toString().startsWith("pmap[itcm,dram]"), p.toString());
    }
}
