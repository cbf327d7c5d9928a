package pvm.integration.thirdarch;

import com.google.inject.Module;
import pvm.arch.i686.I686Architecture;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;

/**
 * A third target that exists only in test code: a PC with 1 GiB of RAM by default, at least
 * 256 MiB, built from the i686 HAL. It is registered with {@link java.util.ServiceLoader} from
 * this module's test resources, and nothing else in pvm changes to run every scenario on it:
 * that is the proof that adding a target is adding a module.
 */
public final class BigPcArchitecture implements Architecture {

    private final I686Architecture pc = new I686Architecture();

    @Override
    public String name() {
        return "bigpc";
    }

    @Override
    public String description() {
        return "an i686 PC with 1 GiB of RAM by default (a test-only target)";
    }

    @Override
    public int pageSize() {
        return pc.pageSize();
    }

    @Override
    public boolean hasMmu() {
        return pc.hasMmu();
    }

    @Override
    public AddressLayout layout() {
        return pc.layout();
    }

    @Override
    public long defaultRam() {
        return 1L << 30;
    }

    @Override
    public long minRam() {
        return 256L << 20;
    }

    @Override
    public long maxRam() {
        return pc.maxRam();
    }

    @Override
    public BootMemoryMap bootMemoryMap(long ramBytes) {
        return pc.bootMemoryMap(ramBytes);
    }

    @Override
    public Module module(MachineConfig config) {
        return pc.module(config);
    }
}
