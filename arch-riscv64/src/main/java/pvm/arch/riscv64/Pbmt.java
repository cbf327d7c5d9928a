package pvm.arch.riscv64;

import pvm.hal.pmap.Policy;

/**
 * Whether a leaf carries a memory type: the Svpbmt extension's page-based memory types.
 *
 * <p>Sv39 alone has no cache bits in a page entry: the platform's physical memory attributes (PMAs)
 * decide by address, and bits 61 and 62 are reserved (the walk faults on them). Phoenix's
 * {@code hal/riscv64} defines {@code PGHD_NOT_CACHED} and {@code PGHD_DEV} as 0 accordingly, so an
 * uncached or device mapping is entered like any other. Svpbmt (RISC-V privileged specification,
 * ratified 2021; QEMU's {@code svpbmt=on}) makes those bits the PBMT field: 0 PMA (the address's
 * own attributes), 1 NC (non-cacheable, idempotent main memory), 2 IO (non-cacheable, non-idempotent
 * I/O), 3 reserved.
 */
public enum Pbmt {

    /** No Svpbmt, as Phoenix's riscv64 HAL assumes: no memory type in a page entry. The default. */
    NONE,

    /** Svpbmt: {@code PGHD_NOT_CACHED} writes PBMT NC, {@code PGHD_DEV} writes IO, and the walk accepts both. */
    SVPBMT;

    /** {@code --policy pbmt=none|svpbmt}. */
    public static final Policy<Pbmt> POLICY = new Policy<>("pbmt", Pbmt.class, NONE, NONE,
            "riscv64: whether leaves carry Svpbmt's memory type (svpbmt: PBMT NC for uncached, IO for device) or none, as Phoenix's Sv39");
}
