/** The riscv64 target (Phoenix-RTOS hal/riscv64): Sv39 paging in simulated RAM, the MMU walk, TLBs, QEMU virt. */
module pvm.arch.riscv64 {
    requires pvm.hal.pmap;

    exports pvm.arch.riscv64;
    opens pvm.arch.riscv64 to com.google.guice;

    provides pvm.hal.pmap.Architecture with pvm.arch.riscv64.Riscv64Architecture;
}
