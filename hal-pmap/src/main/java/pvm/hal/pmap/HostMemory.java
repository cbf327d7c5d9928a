package pvm.hal.pmap;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Reserves the host memory that backs a machine's RAM.
 *
 * <p>On Linux and macOS it asks the host kernel for an anonymous private mapping with no swap
 * reservation ({@code mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)}): the host commits a page only
 * when the simulation first touches it, and it reads as zero until then. So an untouched 4 GiB
 * machine costs address space, not resident memory. An {@link Arena} allocation would zero (and so
 * commit) every byte up front; it is the fallback where {@code mmap} cannot be called.
 *
 * <p>The mapping lives as long as the segment is reachable: the automatic arena unmaps it when the
 * machine is collected, so forgotten machines in a test run do not pile up.
 */
final class HostMemory {

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int LINUX_MAP_ANONYMOUS = 0x20;
    private static final int LINUX_MAP_NORESERVE = 0x4000;
    private static final int DARWIN_MAP_ANONYMOUS = 0x1000;
    private static final long MAP_FAILED = -1;
    private static final int LINUX_MADV_HUGEPAGE = 14;

    private static final Optional<MethodHandle> MMAP = lookup("mmap",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final Optional<MethodHandle> MADVISE = lookup("madvise",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private HostMemory() {
    }

    /** A zero-filled segment of {@code bytes}, committed lazily where the host allows it. */
    static MemorySegment reserve(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        Optional<MemorySegment> mapped = mapAnonymous(bytes);
        return mapped.orElseGet(() -> Arena.ofAuto().allocate(bytes, 4096));
    }

    private static Optional<MemorySegment> mapAnonymous(long bytes) {
        if (MMAP.isEmpty()) {
            return Optional.empty();
        }
        String os = System.getProperty("os.name", "").toLowerCase();
        boolean linux = os.contains("linux");
        int flags;
        if (linux) {
            flags = MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_NORESERVE;
        } else if (os.contains("mac")) {
            flags = MAP_PRIVATE | DARWIN_MAP_ANONYMOUS;
        } else {
            return Optional.empty();
        }
        try {
            MemorySegment addr = (MemorySegment) MMAP.get().invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE, flags, -1, 0L);
            if (addr.address() == MAP_FAILED || addr.address() == 0) {
                return Optional.empty();
            }
            if (linux) {
                hugePages(addr, bytes);
            }
            long base = addr.address();
            return Optional.of(addr.reinterpret(bytes, Arena.ofAuto(), segment -> unmap(base, bytes)));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /**
     * Asks Linux for transparent huge pages ({@code madvise(MADV_HUGEPAGE)}) where its policy is
     * "madvise": the host then commits touched RAM 2 MiB at a time, so the first touch of a large
     * range costs a few hundred host faults instead of one per 4 KiB page (on a virtual machine
     * each of those is dear). A host that refuses keeps 4 KiB pages; nothing else changes.
     */
    private static void hugePages(MemorySegment addr, long bytes) {
        if (MADVISE.isEmpty()) {
            return;
        }
        try {
            int ignored = (int) MADVISE.get().invokeExact(addr, bytes, LINUX_MADV_HUGEPAGE);
        } catch (Throwable t) {
            // An advice only: without it the mapping works the same.
        }
    }

    /**
     * {@code munmap}, looked up the first time a machine's RAM is collected rather than at start:
     * each downcall handle costs the JVM a generated stub, and a short run never needs this one.
     */
    private static final class Unmapper {
        static final Optional<MethodHandle> MUNMAP = lookup("munmap",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static void unmap(long base, long bytes) {
        if (Unmapper.MUNMAP.isEmpty()) {
            return; // the host takes the mapping back when the process ends
        }
        try {
            int rc = (int) Unmapper.MUNMAP.get().invokeExact(MemorySegment.ofAddress(base), bytes);
            assert rc == 0 : "munmap failed";
        } catch (Throwable ignored) {
            // Nothing to do: the process is leaving or the mapping is already gone.
        }
    }

    private static Optional<MethodHandle> lookup(String name, FunctionDescriptor descriptor) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(symbol -> linker.downcallHandle(symbol, descriptor));
        } catch (RuntimeException e) {
            // Native access disabled or no such symbol: fall back to arena allocation.
            return Optional.empty();
        }
    }
}
