package pvm.vm.map;

import com.google.inject.Module;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.TargetAbi;

/**
 * The test target's description: only what the mapper reads (page size, MMU or not, and the struct
 * sizes of ia32 with an MMU, of armv7m without one).
 */
record FlatArchitecture(int pageSize, boolean hasMmu) implements Architecture {

    @Override
    public TargetAbi abi() {
        return hasMmu ? new TargetAbi(4, 16, 60, 124, 80, 88, 88, 36) : new TargetAbi(4, 12, 72, 80, 48, 56, 56, 32);
    }

    @Override
    public char marker(int pageFlags) {
        return PageFlags.isFree(pageFlags) ? '.' : 'x';
    }

    @Override
    public String name() {
        return hasMmu ? "flat" : "flat-nommu";
    }

    @Override
    public String description() {
        return "a flat test machine";
    }

    @Override
    public AddressLayout layout() {
        return new AddressLayout(0, FlatHal.VADDR_KERNEL, FlatHal.VADDR_KERNEL, FlatHal.VADDR_END);
    }

    @Override
    public long defaultRam() {
        return 8 << 20;
    }

    @Override
    public long minRam() {
        return 1 << 20;
    }

    @Override
    public long maxRam() {
        return 1L << 30;
    }

    @Override
    public BootMemoryMap bootMemoryMap(long ramBytes) {
        return FlatHal.bootMap(ramBytes, pageSize);
    }

    @Override
    public Module module(MachineConfig config) {
        throw new UnsupportedOperationException("tests build the HAL by hand");
    }
}
