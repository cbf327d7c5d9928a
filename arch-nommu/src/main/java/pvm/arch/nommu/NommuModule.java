package pvm.arch.nommu;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;

/**
 * The no-MMU target's half of a machine's wiring: the machine's configuration and its one
 * {@link NommuHal}. It does not bind {@link pvm.hal.pmap.Architecture}: the composition root binds
 * the architecture it chose, and the HAL gets this one handed in directly.
 */
final class NommuModule extends AbstractModule {

    private final NommuArchitecture architecture;
    private final MachineConfig config;

    NommuModule(NommuArchitecture architecture, MachineConfig config) {
        this.architecture = architecture;
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(MachineConfig.class).toInstance(config);
    }

    /** One HAL per injector, that is per machine. */
    @Provides
    @Singleton
    Hal hal(MachineConfig machine) {
        return new NommuHal(architecture, machine);
    }
}
