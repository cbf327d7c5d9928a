package pvm.kernel;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.VmError;
import pvm.vm.object.BackingStore;
import pvm.vm.object.Oid;

/**
 * The machine's file servers as the object layer sees them: one {@link BackingStore} that sends
 * each oid to the server of its port, as Phoenix's {@code proc_read} sends a message to the oid's
 * port. The in-memory server ({@link MemoryFileServer}, port 1) is always there; a directory of
 * the host ({@link HostDirectoryStore}, port 2) can be attached. A name is looked up in the
 * in-memory server first, then in the host directory.
 */
final class FileServers implements BackingStore {

    private final MemoryFileServer memory = new MemoryFileServer();
    private volatile HostDirectoryStore host;

    /** Creates a file in the in-memory server; see {@link MemoryFileServer#create}. */
    Either<VmError, Oid> createFile(String name, long size, byte[] contents) {
        return memory.create(name, size, contents);
    }

    /** Creates a file in the in-memory server whose bytes {@code contents} gives when read. */
    Either<VmError, Oid> createGeneratedFile(String name, long size, FileContents contents) {
        return memory.createGenerated(name, size, contents);
    }

    /** Makes the regular files of {@code dir} mappable by name; {@code ENOENT} when it is no directory. */
    synchronized Either<VmError, Void> attachHostDirectory(Path dir) {
        if (host != null) {
            return Either.left(VmError.ebusy("a host directory is attached already: " + host.directory()));
        }
        return HostDirectoryStore.open(dir).map(h -> {
            host = h;
            return null;
        });
    }

    /** Every file name: the in-memory files, then the host directory's. */
    List<String> names() {
        List<String> out = new ArrayList<>(memory.names());
        HostDirectoryStore h = host;
        if (h != null) {
            h.names().stream().filter(n -> !out.contains(n)).forEach(out::add);
        }
        return out;
    }

    @Override
    public Option<Oid> lookup(String name) {
        Option<Oid> oid = memory.lookup(name);
        HostDirectoryStore h = host;
        return oid.isDefined() || h == null ? oid : h.lookup(name);
    }

    @Override
    public Option<String> nameOf(Oid oid) {
        HostDirectoryStore h = host;
        if (oid.port() == MemoryFileServer.PORT) {
            return memory.nameOf(oid.id());
        }
        return oid.port() == HostDirectoryStore.PORT && h != null ? h.nameOf(oid.id()) : Option.none();
    }

    @Override
    public long size(Oid oid) {
        HostDirectoryStore h = host;
        if (oid.port() == MemoryFileServer.PORT) {
            return memory.size(oid.id());
        }
        return oid.port() == HostDirectoryStore.PORT && h != null ? h.size(oid.id()) : ENOENT;
    }

    @Override
    public int read(Oid oid, long offset, byte[] into, int length) {
        HostDirectoryStore h = host;
        if (oid.port() == MemoryFileServer.PORT) {
            return memory.read(oid.id(), offset, into, length);
        }
        return oid.port() == HostDirectoryStore.PORT && h != null ? h.read(oid.id(), offset, into, length) : ENOENT;
    }
}
