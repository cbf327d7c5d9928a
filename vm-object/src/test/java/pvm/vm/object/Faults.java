package pvm.vm.object;

import pvm.hal.pmap.Attr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;
import pvm.vm.map.VmMap;

/** Loads and stores of one byte as a CPU makes them: a fault (vm_mapForce) first when the page needs one. */
final class Faults {

    private Faults() {
    }

    /** The byte at {@code va}, or a negative errno when the read fault failed. */
    static int read8(PhysicalMemory ram, VmMap map, long va) {
        long page = va & -(long) FakeHal.PAGE;
        if ((map.pmap().attributes(VirtAddr.of(page)) & Attr.PRESENT) == 0) {
            int r = map.force(page, Prot.READ);
            if (r != 0) {
                return r;
            }
        }
        return ram.read8(map.pmap().resolve(VirtAddr.of(va)).value());
    }

    /** Stores {@code value} at {@code va}: 0, or a negative errno when the write fault failed. */
    static int write8(PhysicalMemory ram, VmMap map, long va, int value) {
        long page = va & -(long) FakeHal.PAGE;
        int attr = map.pmap().attributes(VirtAddr.of(page));
        if ((attr & Attr.PRESENT) == 0 || (attr & Attr.WRITE) == 0) {
            int r = map.force(page, Prot.WRITE | ((attr & Attr.PRESENT) != 0 ? Prot.READ : 0));
            if (r != 0) {
                return r;
            }
        }
        ram.write8(map.pmap().resolve(VirtAddr.of(va)).value(), value);
        return 0;
    }

    /** The physical address {@code va} maps, or -1. */
    static long phys(VmMap map, long va) {
        var pa = map.pmap().resolve(VirtAddr.of(va));
        return pa.isNone() ? -1 : pa.value();
    }
}
