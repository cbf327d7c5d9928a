package pvm.kernel;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.function.Supplier;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.VmMap;
import pvm.vm.object.Oid;
import pvm.vm.object.SharedRegions;
import pvm.vm.object.VmObject;
import pvm.vm.object.VmPager;

/**
 * File mappings without an MMU, as Linux's no-MMU {@code mmap} makes them (Phoenix has none there:
 * its no-MMU processes are lazy and nothing faults, so no object page would ever be fetched).
 * Nothing can fault a page in later, so every byte is in place when mmap returns:
 *
 * <ul>
 *   <li>A private mapping is anonymous memory of the process, mapped as any other (so its exit or
 *       munmap frees it), into which the file's bytes are copied at once, the tail past the end of
 *       the file zeroed. No reference to the file's object is kept.</li>
 *   <li>A shared mapping is a region of the processes' memory map holding those bytes of the file
 *       ({@link SharedRegions#shareRegion}); with virtual = physical its address is the memory, so every
 *       process mapping the same bytes is given the same address. The region is counted per
 *       mapping and goes with the last munmap or exit.</li>
 * </ul>
 *
 * <p>The rules of sharing are Linux's: a shared mapping inside an existing region of the file
 * shares it, one overlapping a region without lying inside it is {@code EINVAL}, and a shared
 * mapping is given back by a munmap of exactly that mapping ({@code EINVAL} for a part of it, as
 * Linux cannot split a no-MMU file mapping). {@code MAP_FIXED} cannot place a shared mapping (the
 * region decides where its bytes are) nor land on a region ({@code EINVAL} both).
 */
final class NommuFileMappings {

    private final SharedRegions regions;

    NommuFileMappings(SharedRegions regions) {
        this.regions = regions;
    }

    /**
     * mmap of {@code file} from {@code offset} (checked: page-aligned, not negative) for {@code p};
     * {@code size} is whole pages, {@code vmFlags} the flags for the map layer.
     */
    Either<VmError, VirtAddr> mmap(Machine machine, Process p, VirtAddr addr, Size size, int prot, int vmFlags, boolean shared, String file,
            long offset) {
        VmPager pager = machine.pager();
        VmMap map = p.map();
        if (size.bytes() > map.stop().value() - map.start().value()) {
            // Checked here because _map_find, in Phoenix as here, clamps a hint below the map's
            // start only after its room check, so an empty map would take a mapping larger than
            // itself; the bytes copied in would then run past the memory.
            return Either.left(VmError.enomem(String.format("%d bytes do not fit the memory map %s", size.bytes(), map)));
        }
        if (shared) {
            if ((vmFlags & MapFlags.FIXED) != 0) {
                return Either.left(VmError.einval("without an MMU a shared file mapping lies where its bytes are: MAP_FIXED cannot place it"));
            }
            Either<VmError, VmObject> o = pager.objectGet(file);
            if (o.isLeft()) {
                return Either.left(o.getLeft());
            }
            Either<VmError, VirtAddr> r = regions.shareRegion(map, o.get(), offset, size.bytes(), addr.value(), Prot.USER | prot,
                    p.memoryOwner());
            // The region's entry holds the reference it keeps; the one taken for the call goes.
            pager.objectPut(o.get());
            return r;
        }
        Option<Oid> oid = pager.backingStore().lookup(file);
        if (oid.isEmpty()) {
            return Either.left(new VmError.ENOENT("no file '" + file + "'"));
        }
        Either<VmError, VirtAddr> v = map.mmap(addr, Frame.NONE, size, Prot.USER | prot, null, -1, vmFlags, p.memoryOwner());
        if (v.isLeft()) {
            return v;
        }
        int err = regions.copyObject(map, oid.get(), offset, v.get().value(), size.bytes());
        if (err < 0) {
            map.munmap(v.get(), size);
            return Either.left(Errno.toError(err, "reading file " + file + " into a private mapping"));
        }
        return v;
    }

    /**
     * munmap without an MMU: one of {@code p}'s shared mappings is given back, a range touching no
     * shared region is unmapped as usual, anything else touching one is {@code EINVAL}.
     */
    Either<VmError, Void> munmap(Process p, VirtAddr addr, Size size) {
        return regions.munmap(p.memoryOwner(), p.map(), addr.value(), size.bytes());
    }

    /**
     * mprotect without an MMU: inside one of {@code p}'s shared mappings it succeeds and changes
     * nothing (the region's entry is every sharer's, and no MPU could enforce a protection per
     * process inside it); touching a shared region otherwise is {@code EINVAL}; elsewhere as usual.
     */
    Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size size, int prot) {
        return regions.mprotect(p.memoryOwner(), p.map(), addr.value(), size.bytes(), prot);
    }

    /** A {@code MAP_FIXED} mmap by {@code p}, refused ({@code EINVAL}) where it would land on a shared region. */
    Either<VmError, VirtAddr> fixed(Process p, VirtAddr addr, Size size, Supplier<Either<VmError, VirtAddr>> mmap) {
        return regions.outside(p.map(), addr.value(), size.bytes(), mmap);
    }

    /** A process has exited: its shared mappings are given back (a vforked child holds none of its own). */
    void exited(Process p) {
        regions.unshareAll(p);
    }
}
