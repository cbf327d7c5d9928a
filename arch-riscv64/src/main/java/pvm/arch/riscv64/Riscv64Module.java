package pvm.arch.riscv64;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;

/**
 * The riscv64 half of a machine's wiring: the configuration it boots with and its one {@link Hal}.
 * The kernel's module binds the {@link pvm.hal.pmap.Architecture} itself, so this one does not.
 */
public final class Riscv64Module extends AbstractModule {

    private final Riscv64Architecture architecture;
    private final MachineConfig config;

    Riscv64Module(Riscv64Architecture architecture, MachineConfig config) {
        this.architecture = architecture;
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(MachineConfig.class).toInstance(config);
    }

    /** One HAL per injector, so two machines built side by side share nothing. */
    @Provides
    @Singleton
    Hal hal() {
        return new Riscv64Hal(architecture, config);
    }
}
