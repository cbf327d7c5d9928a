/**
 * The i686 PC target (Phoenix-RTOS {@code hal/ia32}): 32-bit two-level paging with the page
 * directory and page tables in simulated RAM, PDE/PTE bits as the Intel SDM defines them, an MMU
 * walk that sets Accessed and Dirty and raises #PF with the architectural error code, per-CPU TLBs
 * with shootdowns, and the PC physical memory map the loader hands the kernel.
 */
package pvm.arch.i686;
