package pvm.kernel;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.VmError;
import pvm.vm.object.BackingStore;
import pvm.vm.object.Oid;

/**
 * The in-memory file server the scenario language's {@code file} statement fills: named files of a
 * given size and contents, on their own port, ids given in order of creation. Files are never
 * written: Phoenix's object layer never writes a page back to its server, and neither does pvm.
 */
final class MemoryFileServer {

    /** The server's port: the port of every oid it hands out. */
    static final long PORT = 1;

    private record File(String name, long size, FileContents contents) {
    }

    private final Map<String, Long> ids = new LinkedHashMap<>();
    private final Map<Long, File> files = new HashMap<>();

    /**
     * Creates file {@code name} of {@code size} bytes: {@code contents} first, zeros after it
     * ({@code contents} may be shorter than the file, or null for a file of zeros).
     *
     * @return its oid; {@code EINVAL} for an empty name, a negative size, contents longer than the
     *     file, or a name already taken (Phoenix's {@code EEXIST}, which has no {@code VmError})
     */
    synchronized Either<VmError, Oid> create(String name, long size, byte[] contents) {
        if (contents != null && size >= 0 && contents.length > size) {
            return Either.left(VmError.einval(String.format("file %s: %d bytes of contents for a file of %d", name, contents.length, size)));
        }
        return createGenerated(name, size, FileContents.of(contents == null ? new byte[0] : contents));
    }

    /** Creates file {@code name} of {@code size} bytes whose bytes {@code contents} gives when read; as above. */
    synchronized Either<VmError, Oid> createGenerated(String name, long size, FileContents contents) {
        if (name == null || name.isEmpty()) {
            return Either.left(VmError.einval("a file needs a name"));
        }
        if (size < 0) {
            return Either.left(VmError.einval("file " + name + ": negative size " + size));
        }
        if (ids.containsKey(name)) {
            return Either.left(VmError.einval("file " + name + " already exists (EEXIST)"));
        }
        long id = ids.size() + 1;
        ids.put(name, id);
        files.put(id, new File(name, size, contents));
        return Either.right(new Oid(PORT, id));
    }

    synchronized Option<Oid> lookup(String name) {
        Long id = ids.get(name);
        return id == null ? Option.none() : Option.some(new Oid(PORT, id));
    }

    synchronized Option<String> nameOf(long id) {
        File f = files.get(id);
        return f == null ? Option.none() : Option.some(f.name());
    }

    /** {@code proc_size}. */
    synchronized long size(long id) {
        File f = files.get(id);
        return f == null ? BackingStore.ENOENT : f.size();
    }

    /** {@code proc_read}: the bytes of {@code [offset, offset+length)} inside the file. */
    synchronized int read(long id, long offset, byte[] into, int length) {
        File f = files.get(id);
        if (f == null) {
            return BackingStore.ENOENT;
        }
        if (offset < 0 || length < 0) {
            return BackingStore.EIO;
        }
        if (offset >= f.size()) {
            return 0;
        }
        int n = (int) Math.min(length, f.size() - offset);
        f.contents().read(offset, into, n);
        return n;
    }

    synchronized List<String> names() {
        return new ArrayList<>(ids.keySet());
    }
}
