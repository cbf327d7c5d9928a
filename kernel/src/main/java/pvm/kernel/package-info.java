/**
 * Booting and running a machine. {@link pvm.kernel.Machine#boot} builds one Guice injector from
 * {@link pvm.kernel.KernelModule} and the architecture's module, and the layers come up in
 * Phoenix's order (pmap, page, ...), each from the one below.
 */
package pvm.kernel;
