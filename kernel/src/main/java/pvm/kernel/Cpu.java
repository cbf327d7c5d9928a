package pvm.kernel;

import io.vavr.control.Either;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;

/**
 * One CPU running user code: loads and stores go through the MMU; a fault goes to the kernel's
 * fault path ({@code map_pageFault} then {@code vm_mapForce}) and the access is retried; a fault
 * the kernel cannot resolve delivers SIGSEGV.
 *
 * <p>One thread drives a CPU at a time (as one hardware thread runs one instruction stream). The
 * {@code *Raw} methods are the allocation-free hot path; a fault they could not resolve leaves its
 * report in {@link #lastSegv()}.
 */
public final class Cpu {

    /**
     * Maximum faults one access may take before the kernel is deemed broken (a fault loop). Not 2 or
     * 4: between a resolved fault and the retry another CPU may change the page again (a fork
     * write-protecting it for copy-on-write), and the fault's own shootdown waits for the other
     * CPUs' accesses, a host scheduling quantum when their threads are descheduled, which widens
     * that window. A kernel that does not resolve a fault faults for ever.
     */
    private static final int MAX_FAULTS_PER_ACCESS = 64;

    private final Machine machine;
    private final Mmu mmu;
    private final PhysicalMemory memory;
    private final int pageSize;
    private final MemoryModel model;
    private final BulkAccess bulk;
    private Segv lastSegv;
    private long faults;

    Cpu(Machine machine, Mmu mmu) {
        this.machine = machine;
        this.mmu = mmu;
        this.memory = machine.hal().memory();
        this.pageSize = machine.pageSize();
        this.model = machine.model();
        this.bulk = new BulkAccess(this, memory, pageSize);
    }

    public int id() {
        return mmu.id();
    }

    public Mmu mmu() {
        return mmu;
    }

    /** Page faults this CPU has taken and the kernel resolved or refused. */
    public long faults() {
        return faults;
    }

    /** Loads a {@code width}-bit little-endian value from {@code va} in {@code p}. */
    public Either<Segv, Long> load(Process p, int width, long va) {
        long value = loadRaw(p, width, va);
        return value < 0 ? Either.left(lastSegv) : Either.right(value);
    }

    /** Stores the low {@code width} bits of {@code value} at {@code va} in {@code p}. */
    public Either<Segv, Void> store(Process p, int width, long va, long value) {
        return storeRaw(p, width, va, value) ? Either.right(null) : Either.left(lastSegv);
    }

    /** The SIGSEGV of the last access that failed. */
    public Segv lastSegv() {
        return lastSegv;
    }

    /** Loads without allocating: the value, or -1 after a SIGSEGV ({@link #lastSegv()} says why). */
    public long loadRaw(Process p, int width, long va) {
        int bytes = bytesOf(width);
        if (crossesPage(va, bytes)) {
            long value = 0;
            for (int i = 0; i < bytes; i++) {
                long b = loadRaw(p, 8, va + i);
                if (b < 0) {
                    return -1;
                }
                value |= b << (8 * i);
            }
            return value;
        }
        long pa = beginAccess(p, va, Access.USER | Access.READ);
        if (pa < 0) {
            return -1;
        }
        long value = switch (bytes) {
            case 1 -> memory.read8(pa);
            case 2 -> memory.read16(pa);
            default -> memory.read32(pa);
        };
        endAccess();
        return value;
    }

    /** Stores without allocating: true, or false after a SIGSEGV ({@link #lastSegv()} says why). */
    public boolean storeRaw(Process p, int width, long va, long value) {
        int bytes = bytesOf(width);
        if (crossesPage(va, bytes)) {
            // All or nothing, as x86 and RISC-V do: both pages are translated for the write within
            // one access (a fault on either is taken first, with the access closed) before any
            // byte is written.
            long next = (va | (pageSize - 1)) + 1;
            int head = (int) (next - va);
            for (int attempt = 0; attempt < MAX_FAULTS_PER_ACCESS; attempt++) {
                long first = beginAccess(p, va, Access.USER | Access.WRITE);
                if (first < 0) {
                    return false;
                }
                long second = translateInAccess(p, next, Access.USER | Access.WRITE);
                if (second != Mmu.FAULT) {
                    for (int i = 0; i < bytes; i++) {
                        memory.write8(i < head ? first + i : second + (i - head), (int) (value >>> (8 * i)));
                    }
                    endAccess();
                    return true;
                }
                endAccess();
                if (beginAccess(p, next, Access.USER | Access.WRITE) < 0) {
                    return false;
                }
                endAccess();
            }
            throw new IllegalStateException(String.format("fault loop: a store straddling 0x%08x still faults after %d resolved faults",
                    next, MAX_FAULTS_PER_ACCESS));
        }
        long pa = beginAccess(p, va, Access.USER | Access.WRITE);
        if (pa < 0) {
            return false;
        }
        switch (bytes) {
            case 1 -> memory.write8(pa, (int) value);
            case 2 -> memory.write16(pa, (int) value);
            default -> memory.write32(pa, value);
        }
        endAccess();
        return true;
    }

    /**
     * Stores {@code value} into every byte of {@code [va, va+length)}, page by page ({@code rep
     * stosb}): true, or false after a SIGSEGV ({@link #lastSegv()} says where), with the bytes
     * before the faulting one written, as a loop of one-byte stores would leave them.
     */
    public boolean fillRaw(Process p, long va, long length, int value) {
        return bulk.fill(p, va, length, value);
    }

    /**
     * Loads every byte of {@code [va, va+length)}, page by page, and compares it with
     * {@code value}: the index of the first byte that differs, {@code length} when none does, or
     * -1 after a SIGSEGV at a byte before any difference.
     */
    public long checkRaw(Process p, long va, long length, int value) {
        byte[] page = new byte[pageSize];
        Arrays.fill(page, (byte) value);
        return bulk.compare(p, va, length, MemorySegment.ofArray(page), true);
    }

    /**
     * Loads every byte of {@code [va, va+length)} and compares it with the same byte of
     * {@code expected} (at least {@code length} bytes): as {@link #checkRaw}.
     */
    public long compareRaw(Process p, long va, long length, MemorySegment expected) {
        if (expected.byteSize() < length) {
            throw new IllegalArgumentException("expected " + expected.byteSize() + " bytes, fewer than the " + length + " compared");
        }
        return bulk.compare(p, va, length, expected, false);
    }

    /**
     * Copies {@code length} bytes from {@code src} in {@code from} to {@code dst} in {@code to}
     * ({@code rep movsb}; the two may be one process), each byte loaded then stored in increasing
     * address order: true, or false after a SIGSEGV, with the bytes before it copied. Two address
     * spaces are reached as a kernel copy between them would, by this CPU switching between them.
     */
    public boolean copyRaw(Process to, long dst, Process from, long src, long length) {
        return bulk.copy(to, dst, from, src, length);
    }

    private static int bytesOf(int width) {
        return switch (width) {
            case 8 -> 1;
            case 16 -> 2;
            case 32 -> 4;
            default -> throw new IllegalArgumentException("access width must be 8, 16 or 32 bits, got " + width);
        };
    }

    private boolean crossesPage(long va, int bytes) {
        return (va & (pageSize - 1)) + bytes > pageSize;
    }

    /** Loads {@code p}'s address space into this CPU if another one is loaded ({@code pmap_switch}). */
    void run(Process p) {
        Pmap pmap = p.pmap();
        if (mmu.current() != pmap) {
            pmap.switchTo(mmu);
        }
    }

    /**
     * Opens an access ({@link Mmu#beginAccess}) and translates for it, taking faults as the kernel
     * would: the memory model answers each fault (with an MMU, {@code vm_mapForce} on the faulting
     * page, and the access is retried; without one a MemManage fault is final, as Phoenix has no
     * fault handler there). Returns the physical address with the access open, for the caller to
     * do its memory operation and then {@link #endAccess}; or -1 after a SIGSEGV, with the access
     * closed. A fault is taken with the access closed: its pmap changes shoot down, and a shootdown
     * waits for every open access, this CPU's too.
     */
    long beginAccess(Process p, long va, int access) {
        run(p);
        for (int attempt = 0; attempt < MAX_FAULTS_PER_ACCESS; attempt++) {
            mmu.beginAccess();
            long pa = mmu.translate(va, access);
            if (pa != Mmu.FAULT) {
                return pa;
            }
            mmu.endAccess();
            faults++;
            Fault fault = mmu.lastFault();
            int rc = model.pageFault(machine, p, fault);
            if (rc == MemoryModel.NO_FAULT_HANDLER) {
                return segv(p, fault, "");
            }
            if (rc != Errno.EOK) {
                return segv(p, fault, "vm_mapForce: " + Errno.name(rc));
            }
        }
        throw new IllegalStateException(String.format("fault loop: %s at 0x%08x still faults after %d resolved faults",
                Access.describe(access), va, MAX_FAULTS_PER_ACCESS));
    }

    /**
     * Translates one more address within the open access (a copy's destination): the physical
     * address, or {@link Mmu#FAULT} with the fault not taken, which the caller takes after
     * {@link #endAccess}.
     */
    long translateInAccess(Process p, long va, int access) {
        run(p);
        return mmu.translate(va, access);
    }

    /** Closes the access {@link #beginAccess} opened, once its memory operation is done. */
    void endAccess() {
        mmu.endAccess();
    }

    private long segv(Process p, Fault fault, String kernelVerdict) {
        lastSegv = new Segv(fault, machine.describeEntry(p, fault.address()), kernelVerdict,
                ProcessMemory.segvReason(p, fault.address()));
        return -1;
    }
}
