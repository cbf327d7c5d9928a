/**
 * The no-MMU target (Phoenix-RTOS {@code hal/armv7m}): a Cortex-M7 board where virtual equals
 * physical, named memory maps are assigned to processes, and an MPU checks every unprivileged
 * access against the maps the running process was given.
 *
 * <p>{@link pvm.arch.nommu.NommuArchitecture} is the only public type; everything else is reached
 * through the {@code pvm.hal.pmap} interfaces it hands over.
 */
package pvm.arch.nommu;
