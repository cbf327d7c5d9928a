package pvm.kernel;

/**
 * The machine's memory accounting at one moment, as {@code mark} records it and
 * {@code expect unchanged} compares it: anything that differs after a sequence of operations
 * that should have given everything back is a leak.
 *
 * @param freeBytes free physical memory ({@code vm_pageGetStats}), with kmalloc's reserve of
 *     empty zones counted as free
 * @param kmallocBytes bytes allocated by kmalloc ({@code vm_kmallocGetStats}), less the headers of
 *     the reserve's zones
 * @param mapEntries map entries in use ({@code ntotal - nfree}) outside the kernel map
 * @param objects live memory objects (file, contiguous), amaps and anons
 */
public record Accounting(long freeBytes, long kmallocBytes, long mapEntries, long objects) {

    /** What differs from {@code before}, in words, or an empty string when nothing does. */
    public String differencesFrom(Accounting before) {
        StringBuilder s = new StringBuilder();
        diff(s, "free bytes", before.freeBytes, freeBytes);
        diff(s, "kmalloc bytes", before.kmallocBytes, kmallocBytes);
        diff(s, "map entries", before.mapEntries, mapEntries);
        diff(s, "objects", before.objects, objects);
        return s.toString();
    }

    private static void diff(StringBuilder s, String what, long was, long is) {
        if (was != is) {
            if (!s.isEmpty()) {
                s.append(", ");
            }
            s.append(String.format("%s %d -> %d (%+d)", what, was, is, is - was));
        }
    }
}
