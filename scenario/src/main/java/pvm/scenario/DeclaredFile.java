package pvm.scenario;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.OptionalInt;
import pvm.kernel.Cpu;
import pvm.kernel.FileContents;
import pvm.kernel.Process;

/**
 * A file a {@code file F SIZE [fill BYTE | pattern]} statement declared: its size and the rule its
 * bytes follow. The kernel's file server and {@code checkfile} both read its bytes from the rule,
 * so a file of a gigabyte costs no heap (it once cost two copies).
 *
 * @param fill the byte every position holds, or empty for {@link Statement.FileDecl#patternByte}
 */
record DeclaredFile(long size, OptionalInt fill) implements FileContents {

    /** How many of the file's bytes {@link #compare} holds at once. */
    private static final int CHUNK = 1 << 20;

    @Override
    public void read(long offset, byte[] into, int length) {
        if (fill.isPresent()) {
            Arrays.fill(into, 0, length, (byte) fill.getAsInt());
            return;
        }
        for (int i = 0; i < length; i++) {
            into[i] = (byte) Statement.FileDecl.patternByte(offset + i);
        }
    }

    /** The byte at {@code offset}: 0 past the end, as a mapping past the end of a file reads. */
    int byteAt(long offset) {
        if (offset < 0 || offset >= size) {
            return 0;
        }
        return fill.isPresent() ? fill.getAsInt() & 0xff : Statement.FileDecl.patternByte(offset);
    }

    /**
     * {@link Cpu#compareRaw} of {@code [va, va+length)} in {@code p} against the file's bytes from
     * {@code offset} (all inside the file), a chunk at a time: how many matched, or -1 after a
     * SIGSEGV.
     */
    long compare(Cpu cpu, Process p, long va, long offset, long length) {
        byte[] chunk = new byte[(int) Math.min(length, CHUNK)];
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(chunk.length, length - done);
            read(offset + done, chunk, n);
            long matched = cpu.compareRaw(p, va + done, n, MemorySegment.ofArray(chunk));
            if (matched < 0) {
                return matched;
            }
            done += matched;
            if (matched < n) {
                break;
            }
        }
        return done;
    }
}
