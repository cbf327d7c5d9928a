package pvm.kernel;

import java.util.Arrays;

/**
 * The bytes of a file of the in-memory file server, produced when they are read rather than held.
 * A scenario's {@code file F 1G} is a rule (one byte everywhere, or a pattern): holding its
 * gigabyte on the heap would make a few such files exhaust the JVM, while a fault only ever reads a
 * page of it.
 */
@FunctionalInterface
public interface FileContents {

    /** Writes the file's bytes {@code [offset, offset + length)} into {@code into[0, length)}. */
    void read(long offset, byte[] into, int length);

    /** A copy of {@code bytes}, followed by zeros. */
    static FileContents of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return (offset, into, length) -> {
            int n = (int) Math.clamp(copy.length - offset, 0, length);
            if (n > 0) {
                System.arraycopy(copy, (int) offset, into, 0, n);
            }
            Arrays.fill(into, n, length, (byte) 0);
        };
    }
}
