package pvm.integration.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import pvm.hal.pmap.Prot;

/**
 * What every process must read, kept as simply as it can be said: each process's pages, and in
 * each page the bytes it or a sharer last wrote. A private page is a {@link Cell} of its own
 * (copied at a fork: copy-on-write, seen from outside), a shared file page one cell held by every
 * process that maps it, and a vforked child works on its parent's space.
 *
 * <p>A shared file's pages live as long as some process maps one of them: when the last goes,
 * the object goes with it and a later mapping reads the file again (pvm never writes a file).
 * A file is mapped either only shared or only private, so that whether a private mapping still
 * sees a sharer's writes (unspecified by POSIX) never matters.
 */
final class ReferenceModel {

    /** The bytes of one page as the processes that map it see them. */
    static final class Cell {
        final byte[] bytes;
        /** Set where the model no longer predicts the contents (device memory after a fork, see issue 9). */
        boolean unspecified;

        Cell(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    enum Kind { ANON, PRIVATE_FILE, SHARED_FILE }

    /**
     * One mapped page of a process. {@code holds} counts the mappings of it: without an MMU a
     * process that maps a file's shared region again is given the same pages once more, and each
     * munmap gives back one of them (as Linux's no-MMU mappings of one region do).
     */
    record Page(Cell cell, int prot, Kind kind, String file, long fileIndex, boolean device, boolean noinherit, int holds) {

        Page withProt(int newProt) {
            return new Page(cell, newProt, kind, file, fileIndex, device, noinherit, holds);
        }

        Page withHolds(int n) {
            return new Page(cell, prot, kind, file, fileIndex, device, noinherit, n);
        }

        boolean readable() {
            return (prot & Prot.READ) != 0;
        }

        boolean writable() {
            return (prot & Prot.WRITE) != 0;
        }
    }

    /** A process's pages by virtual address; a vforked child holds its parent's. */
    static final class Space {
        final TreeMap<Long, Page> pages = new TreeMap<>();
    }

    /** A file: its contents and the pages of its object while some process maps it shared. */
    static final class FileImage {
        final byte[] contents;
        final boolean shared;
        final Map<Long, Cell> cells = new HashMap<>();
        long mappedPages;

        FileImage(byte[] contents, boolean shared) {
            this.contents = contents;
            this.shared = shared;
        }
    }

    final int pageSize;
    private final Map<String, Space> spaces = new LinkedHashMap<>();
    final Map<String, FileImage> files = new LinkedHashMap<>();

    ReferenceModel(int pageSize) {
        this.pageSize = pageSize;
    }

    void spawn(String name) {
        spaces.put(name, new Space());
    }

    /** A copy-on-write copy: private pages copied, shared ones shared, {@code noinherit} ones left out. */
    void fork(String parent, String child) {
        Space copy = new Space();
        for (var e : spaces.get(parent).pages.entrySet()) {
            Page p = e.getValue();
            if (p.noinherit()) {
                continue;
            }
            Cell cell = p.cell();
            if (p.kind() == Kind.SHARED_FILE) {
                files.get(p.file()).mappedPages++;
            } else {
                cell = new Cell(p.cell().bytes.clone());
                if (p.device()) {
                    // Whether device memory is copied or shared at a fork is being decided (issue 9).
                    p.cell().unspecified = true;
                    cell.unspecified = true;
                }
            }
            copy.pages.put(e.getKey(), new Page(cell, p.prot(), p.kind(), p.file(), p.fileIndex(), p.device(), p.noinherit(), 1));
        }
        spaces.put(child, copy);
    }

    void vfork(String parent, String child) {
        spaces.put(child, spaces.get(parent));
    }

    void exit(String name) {
        Space space = spaces.remove(name);
        if (!spaces.containsValue(space)) {
            for (Page p : space.pages.values()) {
                release(p, p.holds());
            }
            space.pages.clear();
        }
    }

    Space space(String name) {
        return spaces.get(name);
    }

    /** Every distinct space, each once (a vforked child's is its parent's). */
    List<Space> spaces() {
        Map<Space, Boolean> seen = new IdentityHashMap<>();
        spaces.values().forEach(s -> seen.put(s, true));
        return new ArrayList<>(seen.keySet());
    }

    Page page(String process, long va) {
        return spaces.get(process).pages.get(va - Math.floorMod(va, pageSize));
    }

    /** Maps {@code pages} new pages at {@code va}: zeros, a private copy of a file, or the file's shared pages. */
    void map(String process, long va, long pages, int prot, Kind kind, String file, long fileOffset, boolean device,
             boolean noinherit) {
        Space space = spaces.get(process);
        for (long i = 0; i < pages; i++) {
            long index = fileOffset / pageSize + i;
            Cell cell = switch (kind) {
                case ANON -> new Cell(new byte[pageSize]);
                case PRIVATE_FILE -> new Cell(fileBytes(files.get(file), index));
                case SHARED_FILE -> {
                    FileImage f = files.get(file);
                    yield f.cells.computeIfAbsent(index, k -> new Cell(fileBytes(f, k)));
                }
            };
            Page held = space.pages.get(va + i * pageSize);
            int holds = held != null && held.cell() == cell ? held.holds() + 1 : 1;
            space.pages.put(va + i * pageSize, new Page(cell, prot, kind, file, index, device, noinherit, holds));
            if (kind == Kind.SHARED_FILE) {
                files.get(file).mappedPages++;
            }
        }
    }

    void unmap(String process, long va, long length) {
        unmap(spaces.get(process), va, va + length);
    }

    /** Gives back one mapping of every page of {@code [start, end)}. */
    private void unmap(Space space, long start, long end) {
        NavigableMap<Long, Page> range = space.pages.subMap(start, true, end, false);
        range.values().forEach(p -> release(p, 1));
        range.replaceAll((va, p) -> p.withHolds(p.holds() - 1));
        range.values().removeIf(p -> p.holds() == 0);
    }

    /** {@code n} mappings of {@code p} given back: a shared file's pages go with its last one. */
    private void release(Page p, int n) {
        if (p.kind() == Kind.SHARED_FILE) {
            FileImage f = files.get(p.file());
            f.mappedPages -= n;
            if (f.mappedPages == 0) {
                f.cells.clear();
            }
        }
    }

    void protect(String process, long va, long length, int prot) {
        spaces.get(process).pages.subMap(va, true, va + length, false).replaceAll((k, p) -> p.withProt(prot));
    }

    /** Page {@code index} of the file, zeros past its end. */
    private byte[] fileBytes(FileImage f, long index) {
        byte[] page = new byte[pageSize];
        long from = index * pageSize;
        if (from < f.contents.length) {
            System.arraycopy(f.contents, (int) from, page, 0, (int) Math.min(pageSize, f.contents.length - from));
        }
        return page;
    }
}
