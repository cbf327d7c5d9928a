package pvm.vm.object;

import io.vavr.control.Option;
import pvm.hal.pmap.Errno;

/**
 * Where a memory object's pages come from: Phoenix asks the server owning the object's oid with
 * {@code proc_size}, {@code proc_open}, {@code proc_read} and {@code proc_close} (messages to the
 * server's port). The object layer owns this interface; the kernel implements it with its file
 * servers and hands it over at boot.
 *
 * <p>Calls are made with no lock of the memory manager held (a fetch releases the object, amap and
 * map locks first), so an implementation may take its time, and may even cause other faults.
 * Results are ints as on Phoenix's message paths: a count or 0 for success, a negative errno for
 * a failure.
 */
public interface BackingStore {

    /** {@code -ENOENT}: no such object. */
    int ENOENT = Errno.ENOENT;

    /** {@code -EIO}: the server failed to read. */
    int EIO = Errno.EIO;

    /** A store with no objects at all: every oid is unknown. */
    BackingStore NONE = new BackingStore() {
        @Override
        public Option<Oid> lookup(String name) {
            return Option.none();
        }

        @Override
        public long size(Oid oid) {
            return ENOENT;
        }

        @Override
        public int read(Oid oid, long offset, byte[] into, int length) {
            return ENOENT;
        }
    };

    /**
     * The oid of the object called {@code name} (what {@code posix_getOid} gives for an open file
     * descriptor in Phoenix; here files are named), or none.
     */
    Option<Oid> lookup(String name);

    /** The name of the object {@code oid}, for the views; none when it has none. */
    default Option<String> nameOf(Oid oid) {
        return Option.none();
    }

    /** {@code proc_size}: the object's size in bytes, or a negative errno. */
    long size(Oid oid);

    /** {@code proc_open} before a read: 0 or a negative errno. */
    default int open(Oid oid) {
        return 0;
    }

    /** {@code proc_close} after a read. */
    default void close(Oid oid) {
    }

    /**
     * {@code proc_read}: up to {@code length} bytes of the object from {@code offset} into
     * {@code into[0, length)}.
     *
     * @return the number of bytes read (fewer at the end of the object, 0 at or past it), or a
     *     negative errno
     */
    int read(Oid oid, long offset, byte[] into, int length);
}
