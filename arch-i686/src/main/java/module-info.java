/** The i686 target (Phoenix-RTOS hal/ia32): two-level paging in simulated RAM, the MMU walk, TLBs. */
module pvm.arch.i686 {
    requires pvm.hal.pmap;

    exports pvm.arch.i686;
    opens pvm.arch.i686 to com.google.guice;

    provides pvm.hal.pmap.Architecture with pvm.arch.i686.I686Architecture;
}
