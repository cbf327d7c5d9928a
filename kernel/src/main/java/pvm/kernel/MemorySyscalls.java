package pvm.kernel;

import io.vavr.control.Either;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.MemObject;

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
     * not use. Anonymous memory is private either way until memory objects can be shared.
     */
    static final int MAP_SHARED_REQUEST = 0x100;

    private final Machine machine;

    MemorySyscalls(Machine machine) {
        this.machine = machine;
    }

    Either<VmError, VirtAddr> mmap(Process p, VirtAddr addr, Size length, int prot, int flags, String file, long offset) {
        int page = machine.pageSize();
        if (length.bytes() == 0) {
            return Either.left(VmError.einval("mmap of zero bytes"));
        }
        if ((flags & MapFlags.FIXED) != 0 && !Sizes.isAligned(addr.value(), page)) {
            return Either.left(VmError.einval(String.format("MAP_FIXED address 0x%x is not page-aligned", addr.value())));
        }
        if ((prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC)) != 0) {
            return Either.left(VmError.einval("unknown protection bits 0x" + Integer.toHexString(prot)));
        }
        if (file != null) {
            return Either.left(VmError.enosys("file mappings arrive with memory objects"));
        }
        MemObject object = (flags & MapFlags.PHYSMEM) != 0 ? MemObject.PHYSMEM : null;
        long offs = object == null ? -1 : offset;
        if (object != null && !Sizes.isAligned(offset, page)) {
            return Either.left(VmError.einval(String.format("offset 0x%x is not page-aligned", offset)));
        }
        int vmFlags = flags & ~(MapFlags.ANONYMOUS | MapFlags.CONTIGUOUS | MapFlags.PHYSMEM | MAP_SHARED_REQUEST);
        Size size = Size.of(Sizes.alignUp(length.bytes(), page));
        return p.map().mmap(addr, Frame.NONE, size, Prot.USER | prot, object, offs, vmFlags, p.memoryOwner());
    }

    Either<VmError, Void> munmap(Process p, VirtAddr addr, Size length) {
        if (length.bytes() == 0) {
            return Either.left(VmError.einval("munmap of zero bytes"));
        }
        return p.map().munmap(addr, Size.of(Sizes.alignUp(length.bytes(), machine.pageSize())));
    }

    Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size length, int prot) {
        if ((prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC)) != 0) {
            return Either.left(VmError.einval("unknown protection bits 0x" + Integer.toHexString(prot)));
        }
        // Rounded up like mmap and munmap (POSIX); Phoenix refuses a length that is not whole pages.
        return p.map().mprotect(addr, Size.of(Sizes.alignUp(length.bytes(), machine.pageSize())), Prot.USER | prot, p.memoryOwner());
    }
}
