/** The no-MMU target (Phoenix-RTOS hal/armv7m): virtual equals physical, named memory maps, MPU checks. */
module pvm.arch.nommu {
    requires transitive pvm.hal.pmap; // NommuArchitecture, public here, speaks in its types

    exports pvm.arch.nommu;
    opens pvm.arch.nommu to com.google.guice;

    provides pvm.hal.pmap.Architecture with pvm.arch.nommu.NommuArchitecture;
}
