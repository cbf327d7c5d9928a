/**
 * The riscv64 target (Phoenix-RTOS {@code hal/riscv64}) on QEMU's {@code virt} board: Sv39 paging
 * as the RISC-V privileged specification defines it, with three levels of 512 eight-byte entries in
 * simulated RAM and 64-bit addresses; an MMU walk that sets Accessed and Dirty and raises page faults
 * by {@code scause} and {@code stval}; per-CPU TLBs flushed by {@code sfence.vma}; and the memory
 * layout the firmware (OpenSBI) and the kernel's own boot code leave behind.
 */
package pvm.arch.riscv64;
