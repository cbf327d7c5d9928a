package pvm.hal.pmap;

/**
 * The flag byte of a {@code page_t}, with the values of Phoenix's {@code hal/ia32/arch/pmap.h}
 * (the same on armv7m): bit 0 free, bits 1..3 owner, bits 4..7 what the kernel uses the page for.
 */
public final class PageFlags {

    public static final int FREE = 0x01;

    public static final int OWNER_BOOT = 0 << 1;
    public static final int OWNER_KERNEL = 1 << 1;
    public static final int OWNER_APP = 2 << 1;

    public static final int KERNEL_SYSPAGE = 1 << 4;
    public static final int KERNEL_CPU = 2 << 4;
    public static final int KERNEL_PTABLE = 3 << 4;
    public static final int KERNEL_PMAP = 4 << 4;
    public static final int KERNEL_STACK = 5 << 4;
    public static final int KERNEL_HEAP = 6 << 4;

    private static final int OWNER_MASK = 7 << 1;
    private static final int USE_MASK = 0xf << 4;

    private PageFlags() {
    }

    public static boolean isFree(int flags) {
        return (flags & FREE) != 0;
    }

    /** The owner field, one of the {@code OWNER_*} values. */
    public static int owner(int flags) {
        return flags & OWNER_MASK;
    }

    /**
     * Whether allocated {@code flags} mark a page table. The page-table bits must all be there, not be
     * all there is: the page allocator ORs new flags into old ones, as Phoenix's does, so a page that
     * held a kmalloc zone ({@code PAGE_KERNEL_HEAP}) and is then taken for a page table reads as both.
     */
    public static boolean isPageTable(int flags) {
        return (kernelUse(flags) & KERNEL_PTABLE) == KERNEL_PTABLE;
    }

    /** The kernel-use field, one of the {@code KERNEL_*} values or 0. */
    public static int kernelUse(int flags) {
        return flags & USE_MASK;
    }

    /** A readable form, {@code free}, {@code kernel/ptable}, {@code app}, for diagnostics. */
    public static String describe(int flags) {
        if (isFree(flags)) {
            return "free";
        }
        String owner = switch (owner(flags)) {
            case OWNER_BOOT -> "boot";
            case OWNER_KERNEL -> "kernel";
            case OWNER_APP -> "app";
            default -> "owner" + (owner(flags) >> 1);
        };
        String use = switch (kernelUse(flags)) {
            case 0 -> "";
            case KERNEL_SYSPAGE -> "/syspage";
            case KERNEL_CPU -> "/cpu";
            case KERNEL_PTABLE -> "/ptable";
            case KERNEL_PMAP -> "/pmap";
            case KERNEL_STACK -> "/stack";
            case KERNEL_HEAP -> "/heap";
            default -> "/use" + (kernelUse(flags) >> 4);
        };
        return owner + use;
    }
}
