package pvm.vm.kmalloc;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Sizes;

/**
 * A kernel heap self-test, as the classic hobby kernel's {@code Heap_SelfTest} runs at boot (Phoenix
 * has none): for every size class, two blocks are allocated, each filled with its own pattern,
 * both checked, the first grown into the next class with {@code krealloc} (its pattern must move
 * with it), a zeroed block taken with {@code kzalloc} and checked, and all of them freed. At the
 * end kmalloc's accounting must be what it was (the bytes allocated and the pages its zones hold,
 * the reserve of empty zones counted as free, as {@code mark} counts it) and its checker must find
 * nothing. What the kernel map spent on mapping the zones is not kmalloc's and may stay: a page
 * table (Phoenix never frees a kernel page table) and pages of map entries (the pool does not shrink).
 *
 * <p>A class that cannot be had for want of memory (the large classes on a small machine) is skipped
 * and named, not failed. The test holds kmalloc's lock throughout, so nothing else allocates in
 * between.
 */
public final class HeapSelfTest {

    /**
     * What the self-test found.
     *
     * @param tested the classes (log2 of the block size) allocated, written, checked and freed
     * @param skipped the classes there was no memory for
     * @param failures what went wrong, in words; empty when the heap is sound
     */
    public record Result(List<Integer> tested, List<Integer> skipped, List<String> failures) {

        public Result {
            tested = List.copyOf(tested);
            skipped = List.copyOf(skipped);
            failures = List.copyOf(failures);
        }

        public boolean passed() {
            return failures.isEmpty();
        }

        /** One line: the classes tested and skipped, or the first failure. */
        public String summary() {
            if (!passed()) {
                return failures.size() + " failure" + (failures.size() == 1 ? "" : "s") + ": " + failures.getFirst();
            }
            String s = tested.isEmpty() ? "no size class could be tested"
                    : String.format("%d size classes from %s to %s allocated, written, checked and freed; accounting unchanged",
                            tested.size(), Sizes.human(1L << tested.getFirst()), Sizes.human(1L << tested.getLast()));
            return skipped.isEmpty() ? s : s + " (no memory for " + String.join(", ", skipped.stream().map(i -> Sizes.human(1L << i)).toList()) + ")";
        }
    }

    private final Kmalloc k;
    private final KmallocCalls calls;

    public HeapSelfTest(Kmalloc k) {
        this.k = k;
        this.calls = new KmallocCalls(k);
    }

    /** Runs the test; see the class comment. */
    public Result run() {
        List<Integer> tested = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        k.lock().lock();
        try {
            long zones = zonePageBytes();
            long allocated = k.allocatedBytes() - k.reserve().headerBytes();
            for (int idx = Sizes.orderFor(Kmalloc.MIN_SIZE); idx < Kmalloc.SIZES; idx++) {
                if (!testClass(idx, failures)) {
                    skipped.add(idx);
                } else {
                    tested.add(idx);
                }
                if (!failures.isEmpty()) {
                    break;
                }
            }
            long zonesAfter = zonePageBytes();
            long allocatedAfter = k.allocatedBytes() - k.reserve().headerBytes();
            if (zonesAfter != zones || allocatedAfter != allocated) {
                failures.add(String.format("accounting changed: zone pages %d -> %d bytes, allocated %d -> %d bytes", zones, zonesAfter,
                        allocated, allocatedAfter));
            }
            k.verify().forEach(v -> failures.add("kmalloc: " + v));
        } finally {
            k.lock().unlock();
        }
        return new Result(tested, skipped, failures);
    }

    /**
     * One class: false when its blocks cannot be had (nothing is left allocated then).
     */
    private boolean testClass(int idx, List<String> failures) {
        long size = 1L << idx;
        long a = calls.kmalloc(size).getOrElse(0L);
        long b = a == 0 ? 0 : calls.kmalloc(size).getOrElse(0L);
        if (b == 0) {
            k.free(a);
            return false;
        }
        write(a, size, 1);
        write(b, size, 2);
        check(a, size, 1, "the first block", failures);
        check(b, size, 2, "the second block", failures);
        long grown = idx + 1 < Kmalloc.SIZES ? calls.krealloc(a, size + 1).getOrElse(0L) : 0;
        if (grown != 0) {
            check(grown, size, 1, "the first block grown by krealloc", failures);
            a = grown;
        }
        long z = calls.kzalloc(size).getOrElse(0L);
        if (z != 0) {
            check(z, size, -1, "a kzalloc block", failures);
        }
        for (long p : new long[] {a, b, z}) {
            if (p != 0 && k.free(p) != pvm.hal.pmap.Errno.EOK) {
                failures.add(String.format("sizes[%d]: kfree(0x%08x) refused a block kmalloc handed out", idx, p));
            }
        }
        return true;
    }

    /** Bytes of pages kmalloc's zones hold, less the reserve of empty zones (which counts as free). */
    private long zonePageBytes() {
        ZoneSlots slots = k.slots();
        long bytes = 0;
        for (int s = 0; s < slots.count(); s++) {
            if (slots.zone[s] != null) {
                bytes += slots.zone[s].mappedBytes();
            }
        }
        return bytes - k.reserve().zoneBytes();
    }

    /** The pattern byte {@code i} of pattern {@code n}: {@code -1} is all zeros. */
    private static int pattern(long i, int n) {
        return n < 0 ? 0 : (int) ((i * 31 + n * 101 + (i >>> 8)) & 0xff);
    }

    private void write(long block, long size, int n) {
        PhysicalMemory memory = k.maps().hal().memory();
        long pa = k.physAddr(block);
        byte[] bytes = new byte[(int) Math.min(size, 4096)];
        for (long off = 0; off < size; off += bytes.length) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) pattern(off + i, n);
            }
            memory.write(pa + off, bytes, 0, bytes.length);
        }
    }

    private void check(long block, long size, int n, String what, List<String> failures) {
        PhysicalMemory memory = k.maps().hal().memory();
        long pa = k.physAddr(block);
        byte[] bytes = new byte[(int) Math.min(size, 4096)];
        for (long off = 0; off < size; off += bytes.length) {
            memory.read(pa + off, bytes, 0, bytes.length);
            for (int i = 0; i < bytes.length; i++) {
                int want = pattern(off + i, n);
                if ((bytes[i] & 0xff) != want) {
                    failures.add(String.format("sizes[%d]: %s at 0x%08x holds 0x%02x at offset %d, expected 0x%02x",
                            Long.numberOfTrailingZeros(size), what, block, bytes[i] & 0xff, off + i, want));
                    return;
                }
            }
        }
    }
}
