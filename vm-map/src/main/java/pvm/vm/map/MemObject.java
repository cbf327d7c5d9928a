package pvm.vm.map;

/**
 * A handle for a memory object ({@code vm_object_t}): what a map entry maps when it is not anonymous.
 * The object layer implements it; this layer compares handles and passes them to the {@link Pager},
 * and never looks inside one.
 *
 * <p>{@code null} stands for anonymous memory, as in Phoenix. {@link #PHYSMEM} is Phoenix's
 * {@code VM_OBJ_PHYSMEM}: the entry's offset is a physical address.
 */
public interface MemObject {

    /** {@code VM_OBJ_PHYSMEM}: physical memory at the entry's offset. A constant with no state. */
    MemObject PHYSMEM = new MemObject() {
        @Override
        public String describe() {
            return "physmem";
        }

        /** {@code VM_OBJ_PHYSMEM} is no object and has no oid; psh prints "mem" for it. */
        @Override
        public String oidText() {
            return "";
        }

        @Override
        public String toString() {
            return "MemObject.PHYSMEM";
        }
    };

    /** How the map views name this object (its oid for a file, "kernel" for the kernel object). */
    default String describe() {
        return toString();
    }

    /**
     * The object's {@code oid_t} as psh's {@code mem -m} prints it, {@code "%d.%llu"}: the port as a
     * signed 32-bit number, the id as an unsigned 64-bit one.
     */
    String oidText();
}
