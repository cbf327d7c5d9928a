package pvm.kernel;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import pvm.hal.pmap.VmError;
import pvm.vm.object.BackingStore;
import pvm.vm.object.Oid;

/**
 * A file server over a directory of the host ({@code pvm run --files DIR}): each regular file of
 * the directory can be mapped by its name, read page by page with a {@link FileChannel} when a
 * fault fetches it. Ids are given to names as they are first looked up. The host files are only
 * ever read, and only those in the directory itself: a symbolic link is not followed (it could lead
 * anywhere on the host), not even to a file of the directory.
 */
final class HostDirectoryStore {

    /** The server's port: the port of every oid it hands out. */
    static final long PORT = 2;

    private final Path dir;
    private final Map<String, Long> ids = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();

    private HostDirectoryStore(Path dir) {
        this.dir = dir;
    }

    /** A store over {@code dir}; {@code ENOENT} when it is not a directory. */
    static Either<VmError, HostDirectoryStore> open(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return Either.left(new VmError.ENOENT("no directory " + dir));
        }
        return Either.right(new HostDirectoryStore(dir.toAbsolutePath().normalize()));
    }

    Path directory() {
        return dir;
    }

    /**
     * The oid of file {@code name} of the directory: a plain file name, not a path. A name the
     * scenario language can write stands for a file whose name it spells with every character
     * outside {@code [a-z0-9_]} turned into {@code _} ({@code blob_bin} for {@code Blob.bin}), when
     * no file has exactly that name and exactly one has that spelling.
     */
    synchronized Option<Oid> lookup(String written) {
        String name = written;
        Path p = fileOf(name);
        if (p == null || !isPlainFile(p)) {
            List<String> spelled = names().stream().filter(n -> scenarioName(n).equals(written)).toList();
            if (spelled.size() != 1) {
                return Option.none();
            }
            name = spelled.getFirst();
        }
        Long id = ids.get(name);
        if (id == null) {
            id = (long) ids.size() + 1;
            ids.put(name, id);
            names.put(id, name);
        }
        return Option.some(new Oid(PORT, id));
    }

    private Path fileOf(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.contains("\\") || name.indexOf('\0') >= 0) {
            return null;
        }
        Path p = dir.resolve(name).normalize();
        return dir.equals(p.getParent()) ? p : null;
    }

    synchronized Option<String> nameOf(long id) {
        return Option.of(names.get(id));
    }

    /** {@code proc_size}: the file's size now, {@code ENOENT} when it is gone, {@code EIO} when it cannot be read. */
    long size(long id) {
        Path p = pathOf(id);
        if (p == null || !isPlainFile(p)) {
            return BackingStore.ENOENT;
        }
        try {
            return Files.size(p);
        } catch (IOException e) {
            return BackingStore.EIO;
        }
    }

    /** {@code proc_read}: up to {@code length} bytes from {@code offset}, fewer at the end of the file. */
    int read(long id, long offset, byte[] into, int length) {
        Path p = pathOf(id);
        if (p == null) {
            return BackingStore.ENOENT;
        }
        if (offset < 0 || length < 0 || length > into.length) {
            return BackingStore.EIO;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.wrap(into, 0, length);
            long at = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return buf.position();
        } catch (IOException e) {
            return Files.exists(p) ? BackingStore.EIO : BackingStore.ENOENT;
        }
    }

    private synchronized Path pathOf(long id) {
        String name = names.get(id);
        return name == null ? null : fileOf(name);
    }

    /** A regular file, not a symbolic link to one. */
    private static boolean isPlainFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** How the scenario language can name a host file: lower case, other characters as {@code _}. */
    static String scenarioName(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return lower.isEmpty() || !Character.isLetter(lower.charAt(0)) ? "f" + lower : lower;
    }

    /** The regular files of the directory, by name. */
    List<String> names() {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            s.filter(HostDirectoryStore::isPlainFile).map(p -> p.getFileName().toString()).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
