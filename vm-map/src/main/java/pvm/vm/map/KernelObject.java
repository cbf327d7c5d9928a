package pvm.vm.map;

/**
 * The kernel's memory object ({@code vm_object_t kernel} of {@code main.c}, handed to
 * {@code _vm_init}): what the kernel map's segments, zones and temporary mappings map. It has no
 * pages of its own (size 0), so nothing ever faults it in; its pages are always given.
 */
final class KernelObject implements MemObject {

    @Override
    public String describe() {
        return "kernel";
    }

    /** {@code _object_init} gives the kernel object port 0, id 0. */
    @Override
    public String oidText() {
        return "0.0";
    }

    @Override
    public String toString() {
        return "MemObject(kernel)";
    }
}
