/**
 * The HAL memory contract (Phoenix-RTOS {@code hal/pmap.h}) and the simulated hardware behind it.
 *
 * <p>{@link pvm.hal.pmap.Architecture} is the plug-in point; {@link pvm.hal.pmap.Hal} is what one
 * booted machine offers; {@link pvm.hal.pmap.Pmap} is one address space; {@link pvm.hal.pmap.Mmu}
 * is one CPU's translation. {@link pvm.hal.pmap.PhysicalMemory} and
 * {@link pvm.hal.pmap.PageFrames} are the simulated RAM and Phoenix's {@code page_t} table.
 */
package pvm.hal.pmap;
