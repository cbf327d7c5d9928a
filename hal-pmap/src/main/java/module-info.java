/**
 * The hardware abstraction layer's memory part: Phoenix-RTOS's {@code hal/pmap.h} contract, the
 * simulated hardware behind it (physical memory, the page-frame table, the MMU access contract) and
 * the value types every layer above shares.
 *
 * <p>Architectures implement {@link pvm.hal.pmap.Architecture} and are found with
 * {@link java.util.ServiceLoader}; nothing above this module names one.
 */
module pvm.hal.pmap {
    requires transitive io.vavr;
    requires transitive com.google.guice;
    requires jdk.unsupported; // Guice 7 reaches for sun.misc.Unsafe; one module must read it

    exports pvm.hal.pmap;

    uses pvm.hal.pmap.Architecture;
}
