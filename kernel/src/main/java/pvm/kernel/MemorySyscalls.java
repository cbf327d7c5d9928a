package pvm.kernel;

import io.vavr.control.Either;
import io.vavr.control.Option;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.MemObject;
import pvm.vm.object.VmObject;
import pvm.vm.object.VmPager;

/**
 * {@code sys_mmap}, {@code sys_munmap} and {@code sys_mprotect} ({@code syscalls.c}): argument
 * checks, rounding, the object behind a mapping, then the map layer. Phoenix's syscall layer turns
 * every mmap failure into {@code ENOMEM}; here the POSIX error comes back instead (a zero length or
 * a misaligned address or offset is {@code EINVAL}), see docs/differences.md.
 */
final class MemorySyscalls {

    /**
     * The scenario language's {@code shared}: Phoenix encodes {@code MAP_SHARED} and
     * {@code MAP_PRIVATE} both as 0, so the sharing a caller asked for rides in a bit Phoenix does
     * not use. It decides how a file is mapped (see {@link #mmap}); anonymous memory is private
     * either way (copy-on-write after a fork), as on Phoenix.
     */
    static final int MAP_SHARED_REQUEST = 0x100;

    private final Machine machine;
    private final MemoryModel model;

    private final UserRanges ranges;

    MemorySyscalls(Machine machine, MemoryModel model) {
        this.machine = machine;
        this.model = model;
        this.ranges = UserRanges.of(machine.architecture().abi().pointerSize(), machine.pageSize());
    }

    /**
     * {@code syscalls_sys_mmap}. The object behind the mapping, as Phoenix picks it: with
     * {@code MAP_ANONYMOUS}, {@code PHYSMEM} for {@code MAP_PHYSMEM} (the offset is the physical
     * address), a new contiguous object for {@code MAP_CONTIGUOUS}, otherwise none (anonymous
     * memory); without it, the object of the named file ({@code vm_objectGet} of its oid). The
     * reference taken for the call is put after {@code vm_mmap}, so the mapping holds the only one
     * it keeps.
     *
     * <p>A file mapping is shared when {@link #MAP_SHARED_REQUEST} is given: it maps the object's
     * pages, so every shared mapping of the file, in any process, sees every write, and a fork
     * keeps it shared. Otherwise it is private: it is made with {@code MAP_NEEDSCOPY}, as Phoenix's
     * ELF loader maps writable segments, so reads see the object's pages and the first write to a
     * page copies it into the entry's amap (for a process that is not lazy, {@code _vm_mmap}
     * populates a writable mapping at once, and so copies every page then). The file is never
     * written: Phoenix never writes an object's pages back to its server, and neither does pvm. On
     * Phoenix every file mapping is shared, as {@code MAP_PRIVATE} is 0.
     *
     * <p>Differences from Phoenix: files are named (Phoenix takes a descriptor), so an unknown name
     * is {@code ENOENT} where Phoenix's {@code posix_getOid} fails with {@code EBADF}; a call with
     * no file is anonymous whatever its flags, and one with both a file and {@code MAP_ANONYMOUS}
     * is {@code EINVAL}; a negative or misaligned object offset is {@code EINVAL} before any object
     * is made. Without an MMU Phoenix makes a file mapping's entry but, its processes being lazy
     * and nothing faulting, never fetches a page, so the process would read whatever the memory
     * held; pvm maps files there as Linux's no-MMU kernel does ({@link FlatModel}, {@link NommuFileMappings}: a private
     * mapping is a copy made at once, a shared one a region of memory every sharer is given), and a
     * {@code MAP_FIXED} mapping may not land on such a shared region ({@code EINVAL}).
     */
    Either<VmError, VirtAddr> mmap(Process p, VirtAddr addr, Size length, int prot, int flags, String file, long offset) {
        int page = machine.pageSize();
        if (length.bytes() == 0) {
            return Either.left(VmError.einval("mmap of zero bytes"));
        }
        if ((flags & MapFlags.FIXED) != 0 && !Sizes.isAligned(addr.value(), page)) {
            return Either.left(VmError.einval(String.format("MAP_FIXED address 0x%x is not page-aligned", addr.value())));
        }
        Option<VmError> outside = ranges.mmap(addr.value(), length.bytes(), (flags & MapFlags.FIXED) != 0, start(p), stop(p));
        if (outside.isDefined()) {
            return Either.left(outside.get());
        }
        if ((prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC)) != 0) {
            return Either.left(VmError.einval("unknown protection bits 0x" + Integer.toHexString(prot)));
        }
        boolean anonymous = file == null;
        if (file != null && (flags & MapFlags.ANONYMOUS) != 0) {
            return Either.left(VmError.einval("MAP_ANONYMOUS with a file (" + file + ")"));
        }
        boolean physmem = anonymous && (flags & MapFlags.PHYSMEM) != 0;
        boolean contiguous = anonymous && !physmem && (flags & MapFlags.CONTIGUOUS) != 0;
        boolean hasObject = !anonymous || physmem || contiguous;
        if (hasObject && (offset < 0 || !Sizes.isAligned(offset, page))) {
            return Either.left(VmError.einval(String.format("offset 0x%x is not page-aligned", offset)));
        }
        Size size = Size.of(Sizes.alignUp(length.bytes(), page));
        if ((flags & MapFlags.FIXED) != 0 && (anonymous || (flags & MAP_SHARED_REQUEST) == 0)) {
            return model.mmapFixed(p, addr, size, () -> mmapUnchecked(p, addr, size, prot, flags, file, offset));
        }
        return mmapUnchecked(p, addr, size, prot, flags, file, offset);
    }

    /** The second half of {@link #mmap}, from the choice of the object on; {@code size} is whole pages. */
    private Either<VmError, VirtAddr> mmapUnchecked(Process p, VirtAddr addr, Size size, int prot, int flags, String file, long offset) {
        boolean anonymous = file == null;
        int vmFlags = flags & ~(MapFlags.ANONYMOUS | MapFlags.CONTIGUOUS | MapFlags.PHYSMEM | MAP_SHARED_REQUEST);
        if (!anonymous) {
            return model.mmapFile(machine, p, addr, size, prot, vmFlags, (flags & MAP_SHARED_REQUEST) != 0, file, offset);
        }
        boolean physmem = anonymous && (flags & MapFlags.PHYSMEM) != 0;
        boolean contiguous = anonymous && !physmem && (flags & MapFlags.CONTIGUOUS) != 0;
        VmPager pager = machine.pager();

        MemObject object;
        if (physmem) {
            object = MemObject.PHYSMEM;
        } else if (contiguous) {
            Either<VmError, VmObject> o = pager.objectContiguous(size.bytes());
            if (o.isLeft()) {
                return Either.left(o.getLeft());
            }
            object = o.get();
        } else {
            object = null;
        }
        Either<VmError, VirtAddr> r = p.map().mmap(addr, Frame.NONE, size, Prot.USER | prot, object, object == null ? -1 : offset,
                vmFlags, p.memoryOwner());
        pager.objectPut(object);
        if (object == null && r.isRight()) {
            model.anonymousMapped(r.get(), size);
        }
        return r;
    }

    Either<VmError, Void> munmap(Process p, VirtAddr addr, Size length) {
        if (length.bytes() == 0) {
            return Either.left(VmError.einval("munmap of zero bytes"));
        }
        Option<VmError> outside = ranges.munmap(addr.value(), length.bytes(), start(p), stop(p));
        if (outside.isDefined()) {
            return Either.left(outside.get());
        }
        Size size = Size.of(Sizes.alignUp(length.bytes(), machine.pageSize()));
        return model.munmap(p, addr, size);
    }

    Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size length, int prot) {
        if ((prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC)) != 0) {
            return Either.left(VmError.einval("unknown protection bits 0x" + Integer.toHexString(prot)));
        }
        if (!Sizes.isAligned(addr.value(), machine.pageSize())) {
            return Either.left(VmError.einval(String.format("mprotect address 0x%x is not page-aligned", addr.value())));
        }
        if (length.bytes() == 0) {
            // POSIX and Linux: nothing to change is no error. Phoenix's vm_mprotect says EINVAL.
            return Either.right(null);
        }
        Option<VmError> outside = ranges.mprotect(addr.value(), length.bytes(), start(p), stop(p));
        if (outside.isDefined()) {
            return Either.left(outside.get());
        }
        // Rounded up like mmap and munmap (POSIX); Phoenix refuses a length that is not whole pages.
        Size size = Size.of(Sizes.alignUp(length.bytes(), machine.pageSize()));
        return model.mprotect(p, addr, size, Prot.USER | prot);
    }

    /** Where {@code p}'s address space begins: its map's start (see {@link UserRanges}). */
    private static long start(Process p) {
        return p.map().start().value();
    }

    /** Where {@code p}'s address space ends. */
    private static long stop(Process p) {
        return p.map().stop().value();
    }

    /** After {@code p} has exited: what the memory model keeps outside its map goes (no-MMU shared file mappings). */
    void exited(Process p) {
        model.exited(p);
    }
}
