package pvm.vm.object;

/**
 * An object identifier, Phoenix's {@code oid_t}: the port of the server that owns the object (a
 * file server) and the object's id on that server. Objects are kept in a tree ordered as
 * {@code object_cmp} orders them: by id first, then by port.
 *
 * @param port the server's port ({@code u32} in Phoenix)
 * @param id the object's id on that server ({@code id_t})
 */
public record Oid(long port, long id) implements Comparable<Oid> {

    /** The kernel object's oid ({@code _object_init} gives it port 0, id 0). */
    public static final Oid KERNEL = new Oid(0, 0);

    /**
     * What marks a contiguous object: Phoenix sets both fields to -1 ({@code (u32)-1} and
     * {@code (id_t)-1}); such objects are never looked up by oid.
     */
    public static final Oid CONTIGUOUS = new Oid(-1, -1);

    /** {@code object_cmp}. */
    @Override
    public int compareTo(Oid o) {
        int c = Long.compare(id, o.id);
        return c != 0 ? c : Long.compare(port, o.port);
    }

    public boolean isContiguous() {
        return equals(CONTIGUOUS);
    }

    @Override
    public String toString() {
        return port + "." + id;
    }
}
