package pvm.arch.riscv64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.Policies;
import pvm.hal.pmap.VirtAddr;

/** Svpbmt's memory types in leaves ({@link Pbmt}), and their absence by default, as in Phoenix. */
class PbmtTest {

    private static final long VA = 0x1_0004_8000L;
    private static final int RW = Attr.PRESENT | Attr.WRITE;
    private static final int TYPE = Attr.NOT_CACHED | Attr.DEVICE;

    private static TestMachine machine(Pbmt pbmt) {
        return new TestMachine(new MachineConfig(64L << 20, 1).withPolicies(Policies.DEFAULT.with(Pbmt.POLICY, pbmt)));
    }

    @Test
    void withoutSvpbmtAnUncachedOrDeviceLeafIsAnyLeaf() {
        TestMachine m = machine(Pbmt.NONE);
        Riscv64Pmap k = m.kernel();
        long pa = m.page();
        m.map(k, VA, pa, RW | Attr.DEVICE);
        assertEquals(0, m.pte(k, VA) & Sv39.PBMT_MASK, "Phoenix's PGHD_DEV is 0 on riscv64");
        assertEquals(0, k.attributes(VirtAddr.of(VA)) & TYPE);
        assertEquals(pa, m.cpu(0).translate(VA, Access.READ));
    }

    @Test
    void withSvpbmtTheLeafCarriesNcOrIoAndTheWalkTakesIt() {
        TestMachine m = machine(Pbmt.SVPBMT);
        Riscv64Pmap k = m.kernel();
        long nc = VA;
        long io = VA + 4096;
        long pma = VA + 8192;
        m.map(k, nc, m.page(), RW | Attr.NOT_CACHED);
        m.map(k, io, m.page(), RW | Attr.DEVICE);
        m.map(k, pma, m.page(), RW);
        assertEquals(Sv39.PBMT_NC, m.pte(k, nc) & Sv39.PBMT_MASK);
        assertEquals(Sv39.PBMT_IO, m.pte(k, io) & Sv39.PBMT_MASK);
        assertEquals(0, m.pte(k, pma) & Sv39.PBMT_MASK);
        assertEquals(Attr.NOT_CACHED, k.attributes(VirtAddr.of(nc)) & TYPE);
        assertEquals(Attr.DEVICE, k.attributes(VirtAddr.of(io)) & TYPE);
        assertEquals(0, k.attributes(VirtAddr.of(pma)) & TYPE);
        for (long va : new long[] {nc, io, pma}) {
            assertTrue(m.cpu(0).translate(va, Access.READ | Access.WRITE) != Mmu.FAULT, "the walk accepts PBMT " + (m.pte(k, va) >>> 61));
        }
        assertTrue(Sv39.describeBits(m.pte(k, io)).endsWith("PBMT=IO"), Sv39.describeBits(m.pte(k, io)));
    }

    @Test
    void pbmtThreeIsReservedAndFaults() {
        TestMachine m = machine(Pbmt.SVPBMT);
        Riscv64Pmap k = m.kernel();
        m.map(k, VA, m.page(), RW);
        long pteAddr = Sv39.addr(m.entry(k, VA, 1)) + (long) Sv39.index(VA, 0) * 8;
        m.memory().write64(pteAddr, m.pte(k, VA) | Sv39.PBMT_MASK);
        m.cpu(0).flush();
        assertEquals(Mmu.FAULT, m.cpu(0).translate(VA, Access.READ));
        assertTrue(m.cpu(0).lastFault().cause().contains("reserved"), m.cpu(0).lastFault().cause());
    }

    @Test
    void thePolicyIsDeclaredWithPhoenixsValue() {
        assertEquals(java.util.List.of(Pbmt.POLICY), new Riscv64Architecture().policies());
        assertEquals(Pbmt.NONE, Pbmt.POLICY.phoenix());
        assertEquals(Pbmt.NONE, Pbmt.POLICY.pvm());
    }
}
