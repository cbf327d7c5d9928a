/**
 * The kernel (Phoenix-RTOS {@code vm/vm.c} and parts of {@code proc/}): the composition root that
 * boots a machine in Phoenix's order from an architecture found at run time, and what runs on it.
 */
module pvm.kernel {
    requires transitive pvm.vm.object;
    requires jakarta.inject;

    exports pvm.kernel;
    opens pvm.kernel to com.google.guice;
}
