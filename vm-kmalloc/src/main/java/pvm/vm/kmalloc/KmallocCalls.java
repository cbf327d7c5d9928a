package pvm.vm.kmalloc;

import io.vavr.control.Either;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VmError;

/**
 * The kmalloc family beyond Phoenix's {@code vm_kmalloc} and {@code vm_kfree}, as Linux and the
 * classic hobby kernels name it: {@link #kzalloc}, {@link #kcalloc} and {@link #krealloc}, and
 * {@link #kmalloc} itself, each answering with an error value instead of a null pointer. Phoenix has
 * none of them (its callers {@code hal_memset} what they need zeroed); they are built on kmalloc's
 * own steps, under its lock, so a call either succeeds or changes nothing.
 *
 * <p>Errors: {@code EINVAL} for a negative size, a size above the largest class (8 MiB), a
 * {@code kcalloc} whose {@code n * size} overflows the target's {@code size_t}, and a
 * {@code krealloc} of a pointer that is not an allocated block; {@code ENOMEM} when memory runs out.
 */
public final class KmallocCalls {

    private final Kmalloc k;

    public KmallocCalls(Kmalloc k) {
        this.k = k;
    }

    /** {@code vm_kmalloc} with its two failures told apart: a size no class holds, or no memory. */
    public Either<VmError, Long> kmalloc(long size) {
        return classFor("kmalloc", size).flatMap(idx -> {
            k.lock().lock();
            try {
                return allocated(k.kmallocLocked(idx), size);
            } finally {
                k.lock().unlock();
            }
        });
    }

    /** {@code kzalloc}: a block of at least {@code size} bytes, every byte of the block zero. */
    public Either<VmError, Long> kzalloc(long size) {
        return zalloc("kzalloc", size);
    }

    private Either<VmError, Long> zalloc(String call, long size) {
        return classFor(call, size).flatMap(idx -> {
            k.lock().lock();
            try {
                long b = k.kmallocLocked(idx);
                if (b != 0) {
                    memory().fill(k.physAddr(b), 1L << idx, 0);
                }
                return allocated(b, size);
            } finally {
                k.lock().unlock();
            }
        });
    }

    /**
     * {@code kcalloc}: a zeroed array of {@code n} elements of {@code size} bytes. A product that
     * does not fit the target's {@code size_t} (32 bits on i686 and the no-MMU board, 64 on riscv64)
     * is {@code EINVAL}: without the check C's multiplication wraps and hands out a block far too
     * small, the bug {@code kcalloc} exists to prevent.
     */
    public Either<VmError, Long> kcalloc(long n, long size) {
        if (n < 0 || size < 0) {
            return Either.left(VmError.einval(String.format("kcalloc: negative count %d or size %d", n, size)));
        }
        int bits = k.maps().hal().architecture().abi().pointerSize() * 8;
        long max = bits >= 64 ? Long.MAX_VALUE : (1L << bits) - 1;
        if (size != 0 && n > max / size) {
            return Either.left(VmError.einval(String.format("kcalloc: %d * %d overflows the target's %d-bit size_t", n, size, bits)));
        }
        return zalloc("kcalloc", n * size);
    }

    /**
     * {@code krealloc}: {@code p}'s block resized to hold {@code size} bytes. While {@code size}
     * fits the block's class the block stays where it is (and {@code p} is the answer, even when a
     * smaller class would do); otherwise a block of the new class is allocated, the whole old block
     * copied into it and the old one freed. {@code krealloc(0, size)} is {@code kmalloc(size)};
     * {@code krealloc(p, 0)} frees {@code p} and answers 0 (Linux answers {@code ZERO_SIZE_PTR}).
     *
     * @return the block's address; {@code EINVAL} when {@code p} is not an allocated block (in no
     *     zone, inside a block, free, or a zone's header) or the size is bad, {@code ENOMEM} when the
     *     new block cannot be had; either way {@code p} and its contents are as they were
     */
    public Either<VmError, Long> krealloc(long p, long size) {
        if (p == 0) {
            return kmalloc(size);
        }
        k.lock().lock();
        try {
            long old = allocatedBlockLocked(p);
            if (old == 0) {
                return Either.left(VmError.einval(k.describeBadFreeLocked(p).replaceFirst("^kfree", "krealloc")));
            }
            if (size == 0) {
                k.kfreeLocked(p);
                return Either.right(0L);
            }
            Either<VmError, Integer> idx = classFor("krealloc", size);
            if (idx.isLeft()) {
                return Either.left(idx.getLeft());
            }
            if (size <= old) {
                return Either.right(p);
            }
            long b = k.kmallocLocked(idx.get());
            if (b == 0) {
                return allocated(0, size);
            }
            memory().copy(k.physAddr(p), k.physAddr(b), old);
            if (k.kfreeLocked(p) != Errno.EOK) {
                throw new IllegalStateException(String.format("krealloc: the block at 0x%08x could not be freed after its move", p));
            }
            return Either.right(b);
        } finally {
            k.lock().unlock();
        }
    }

    /** The size of the allocated block a caller may free at {@code p}, or 0 when there is none. */
    private long allocatedBlockLocked(long p) {
        int s = k.zoneOfLocked(p);
        if (s == ZoneSlots.NONE) {
            return 0;
        }
        var z = k.slots().zone[s];
        int block = z.blockIndex(p);
        boolean ok = z.isBlock(p) && k.slots().isAllocated(s, block) && !k.slots().isHeader(s, block);
        return ok ? z.blocksz() : 0;
    }

    /** The class that holds {@code size} bytes, as {@code vm_kmalloc} picks it. */
    private static Either<VmError, Integer> classFor(String call, long size) {
        if (size < 0) {
            return Either.left(VmError.einval(call + ": negative size " + size));
        }
        int idx = Sizes.orderFor(Math.max(size, Kmalloc.MIN_SIZE));
        if (idx >= Kmalloc.SIZES) {
            return Either.left(VmError.einval(String.format("%s: %d bytes is above the largest class, %s",
                    call, size, Sizes.human(1L << (Kmalloc.SIZES - 1)))));
        }
        return Either.right(idx);
    }

    private static Either<VmError, Long> allocated(long b, long size) {
        return b != 0 ? Either.right(b) : Either.left(VmError.enomem("kmalloc: no memory for a block of " + size + " bytes"));
    }

    private PhysicalMemory memory() {
        return k.maps().hal().memory();
    }
}
