package pvm.hal.pmap;

/** Unsigned and power-of-two helpers shared by the layers, named after the HAL bit helpers. */
public final class Sizes {

    private Sizes() {
    }

    /** {@code hal_cpuGetLastBit}: index of the highest set bit, 0 for 0 (as the ia32 {@code bsr} wrapper). */
    public static int lastBit(long v) {
        return v == 0 ? 0 : 63 - Long.numberOfLeadingZeros(v);
    }

    /** {@code hal_cpuGetFirstBit}: index of the lowest set bit, 0 for 0 (as the ia32 {@code bsf} wrapper). */
    public static int firstBit(long v) {
        return v == 0 ? 0 : Long.numberOfTrailingZeros(v);
    }

    /** log2 of the smallest power of two at least {@code size}: the {@code idx} a block of that size has. */
    public static int orderFor(long size) {
        int idx = lastBit(size);
        return firstBit(size) < idx ? idx + 1 : idx;
    }

    public static long alignDown(long v, long alignment) {
        return v & -alignment;
    }

    public static long alignUp(long v, long alignment) {
        return (v + alignment - 1) & -alignment;
    }

    public static boolean isAligned(long v, long alignment) {
        return (v & (alignment - 1)) == 0;
    }

    /** A size as a person reads it: {@code 4 KiB}, {@code 128 MiB}, {@code 1536 B}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }

    /**
     * Parses {@code 4096}, {@code 0x1000}, {@code 64K}, {@code 128M}, {@code 4G} (binary suffixes),
     * as the command line and the scenario language write sizes.
     *
     * @throws NumberFormatException with a message saying what was expected
     */
    public static long parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new NumberFormatException("expected a size such as 128M, got nothing");
        }
        long mul = 1;
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        boolean hex = t.startsWith("0x") || t.startsWith("0X");
        if (!hex || last == 'K' || last == 'M' || last == 'G') {
            switch (last) {
                case 'K' -> mul = 1L << 10;
                case 'M' -> mul = 1L << 20;
                case 'G' -> mul = 1L << 30;
                default -> mul = 1;
            }
        }
        String digits = mul == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = hex ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mul);
        } catch (NumberFormatException | ArithmeticException | StringIndexOutOfBoundsException e) {
            throw new NumberFormatException("expected a size such as 4096, 0x1000, 64K, 128M or 4G, got '" + text + "'");
        }
    }
}
