package pvm.vm.object;

import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backing store for tests: named files in memory on port 7, counting its calls, with a hook that
 * runs inside the next read (while a fetch has every lock released) and switches to fail opens or
 * reads.
 */
final class TestStore implements BackingStore {

    static final long PORT = 7;

    private final Map<Oid, byte[]> files = new LinkedHashMap<>();
    private final Map<String, Oid> names = new LinkedHashMap<>();
    private final List<Runnable> hooks = new ArrayList<>();
    int opens;
    int closes;
    int reads;
    int sizes;
    boolean failOpen;
    boolean failRead;

    /** A file of {@code size} bytes where byte {@code i} is {@link #byteAt}{@code (id, i)}. */
    synchronized Oid add(String name, int size) {
        Oid oid = new Oid(PORT, files.size() + 1);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = byteAt(oid, i);
        }
        files.put(oid, b);
        names.put(name, oid);
        return oid;
    }

    static byte byteAt(Oid oid, long i) {
        return (byte) (i * 31 + 7 + oid.id() * 13);
    }

    byte[] contents(Oid oid) {
        return files.get(oid);
    }

    /** Runs {@code r} inside the next read, once. */
    synchronized void beforeNextRead(Runnable r) {
        hooks.add(r);
    }

    @Override
    public Option<Oid> lookup(String name) {
        return Option.of(names.get(name));
    }

    @Override
    public Option<String> nameOf(Oid oid) {
        return Option.ofOptional(names.entrySet().stream().filter(e -> e.getValue().equals(oid)).map(Map.Entry::getKey).findFirst());
    }

    @Override
    public synchronized long size(Oid oid) {
        sizes++;
        byte[] b = files.get(oid);
        return b == null ? ENOENT : b.length;
    }

    @Override
    public synchronized int open(Oid oid) {
        if (failOpen || !files.containsKey(oid)) {
            return ENOENT;
        }
        opens++;
        return 0;
    }

    @Override
    public synchronized void close(Oid oid) {
        closes++;
    }

    @Override
    public int read(Oid oid, long offset, byte[] into, int length) {
        Runnable hook;
        synchronized (this) {
            reads++;
            hook = hooks.isEmpty() ? null : hooks.removeFirst();
        }
        if (hook != null) {
            hook.run();
        }
        if (failRead) {
            return EIO;
        }
        byte[] b = files.get(oid);
        if (b == null) {
            return ENOENT;
        }
        if (offset >= b.length) {
            return 0;
        }
        int n = (int) Math.min(length, b.length - offset);
        System.arraycopy(b, (int) offset, into, 0, n);
        return n;
    }
}
