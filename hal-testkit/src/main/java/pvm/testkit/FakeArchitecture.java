package pvm.testkit;

import com.google.inject.Module;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.TargetAbi;

/**
 * The fake machine's description of itself: ia32's struct sizes and letters with an MMU, armv7m's
 * struct sizes without one, so kmalloc figures in the tests are a real target's.
 */
record FakeArchitecture(FakeBoard board) implements Architecture {

    @Override
    public String name() {
        return board.mmu() ? "fake" : "fake-nommu";
    }

    @Override
    public String description() {
        return "a test machine";
    }

    @Override
    public int pageSize() {
        return board.pageSize();
    }

    @Override
    public boolean hasMmu() {
        return board.mmu();
    }

    @Override
    public TargetAbi abi() {
        return board.mmu() ? new TargetAbi(4, 16, 60, 124, 80, 88, 88, 36) : new TargetAbi(4, 12, 72, 80, 48, 56, 56, 32);
    }

    /**
     * ia32's letters ({@code pmap_marker} of {@code hal/ia32/pmap.c}): the owner picks a row, for
     * the kernel the use picks the letter. Phoenix indexes by two owner bits only.
     */
    @Override
    public char marker(int pageFlags) {
        if (PageFlags.isFree(pageFlags)) {
            return '.';
        }
        char owner = "BKAU".charAt((pageFlags >> 1) & 3);
        return owner == 'K' ? "KYCPMSHKKKKKKKKK".charAt((pageFlags >> 4) & 0xf) : owner;
    }

    @Override
    public AddressLayout layout() {
        return new AddressLayout(0, FakeHal.VADDR_KERNEL, FakeHal.VADDR_KERNEL, FakeHal.VADDR_END);
    }

    @Override
    public long defaultRam() {
        return board.ram().ramBytes();
    }

    @Override
    public long minRam() {
        return board.ram().ramBytes();
    }

    @Override
    public long maxRam() {
        return board.ram().ramBytes();
    }

    @Override
    public BootMemoryMap bootMemoryMap(long ramBytes) {
        return board.ram();
    }

    @Override
    public Module module(MachineConfig config) {
        return binder -> { };
    }
}
