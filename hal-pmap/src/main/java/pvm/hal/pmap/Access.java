package pvm.hal.pmap;

/** The kind of a memory access the {@link Mmu} checks: read, write or fetch, from user or kernel mode. */
public final class Access {

    public static final int READ = 0x1;
    public static final int WRITE = 0x2;
    public static final int EXEC = 0x4;
    /** Set for an access made in user mode (CPL 3 on i686, unprivileged on Cortex-M). */
    public static final int USER = 0x8;

    private Access() {
    }

    public static String describe(int access) {
        String kind = (access & WRITE) != 0 ? "write" : (access & EXEC) != 0 ? "execute" : "read";
        return ((access & USER) != 0 ? "user " : "kernel ") + kind;
    }
}
