package pvm.kernel;

import java.lang.foreign.MemorySegment;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysicalMemory;

/**
 * A CPU's string instructions ({@code rep stosb}, {@code rep cmpsb}, {@code rep movsb}): a range
 * of bytes stored, compared or copied through the MMU, translated once per page and moved with
 * bulk segment operations.
 *
 * <p>Each page is one access of the MMU ({@link Cpu#beginAccess} to {@link Cpu#endAccess}): its
 * translation and its bulk operation, which a shootdown on another CPU waits for.
 *
 * <p>Each takes the same faults, at the same byte, as a loop of one-byte loads and stores: every
 * byte of a page shares the page's translation (on every target the MMU or MPU decides per page),
 * so the first byte of each page is where such a loop would fault; the fault goes to the kernel as
 * {@link Cpu#beginAccess} sends it, and one the kernel cannot resolve stops the operation there with
 * every byte before it done. Allocation-free per page.
 */
final class BulkAccess {

    private static final int LOAD = Access.USER | Access.READ;
    private static final int STORE = Access.USER | Access.WRITE;

    private final Cpu cpu;
    private final PhysicalMemory memory;
    private final long pageMask;

    BulkAccess(Cpu cpu, PhysicalMemory memory, int pageSize) {
        this.cpu = cpu;
        this.memory = memory;
        this.pageMask = pageSize - 1;
    }

    /** The bytes from {@code va} to the end of its page, at most {@code left}. */
    private long inPage(long va, long left) {
        return Math.min(left, pageMask + 1 - (va & pageMask));
    }

    /** {@code rep stosb}: true, or false after a SIGSEGV with the bytes before it written. */
    boolean fill(Process p, long va, long length, int value) {
        for (long done = 0; done < length; ) {
            long at = va + done;
            long n = inPage(at, length - done);
            long pa = cpu.beginAccess(p, at, STORE);
            if (pa < 0) {
                return false;
            }
            memory.fill(pa, n, value);
            cpu.endAccess();
            done += n;
        }
        return true;
    }

    /**
     * {@code repe cmpsb}: the index of the first byte of the range that differs from
     * {@code expected} (its byte at the same index or, when {@code repeat}, a page of bytes that
     * every page of the range is compared with from its start), {@code length} when all match, or
     * -1 after a SIGSEGV.
     */
    long compare(Process p, long va, long length, MemorySegment expected, boolean repeat) {
        for (long done = 0; done < length; ) {
            long at = va + done;
            long n = inPage(at, length - done);
            long pa = cpu.beginAccess(p, at, LOAD);
            if (pa < 0) {
                return -1;
            }
            long differs = memory.mismatch(pa, expected, repeat ? 0 : done, n);
            cpu.endAccess();
            if (differs >= 0) {
                return done + differs;
            }
            done += n;
        }
        return length;
    }

    /**
     * {@code rep movsb} from {@code src} in {@code from} to {@code dst} in {@code to}, in increasing
     * address order: each byte is loaded, then stored, as a loop does, so a destination that
     * overlaps the source from above sees the bytes it just wrote. True, or false after a SIGSEGV
     * with the bytes before it copied.
     */
    boolean copy(Process to, long dst, Process from, long src, long length) {
        for (long done = 0; done < length; ) {
            long s = src + done;
            long d = dst + done;
            long n = inPage(d, inPage(s, length - done));
            long spa = cpu.beginAccess(from, s, LOAD);
            if (spa < 0) {
                return false;
            }
            long dpa = cpu.translateInAccess(to, d, STORE);
            if (dpa == Mmu.FAULT) {
                // The store faults: take the fault with the access closed, then translate both
                // again, since the fault may have replaced the source's page too (copy-on-write of
                // the page both lie in) and the loop would load through the mapping as it is now.
                cpu.endAccess();
                if (cpu.beginAccess(to, d, STORE) < 0) {
                    return false;
                }
                cpu.endAccess();
                continue;
            }
            copyForward(spa, dpa, n);
            cpu.endAccess();
            done += n;
        }
        return true;
    }

    /** A forward byte loop's result, in steps short enough that each reads only bytes already final. */
    private void copyForward(long from, long to, long n) {
        long distance = to - from;
        if (distance <= 0 || distance >= n) {
            memory.copy(from, to, n);
            return;
        }
        for (long k = 0; k < n; k += distance) {
            memory.copy(from + k, to + k, Math.min(distance, n - k));
        }
    }
}
