package pvm.vm.page;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Sizes;

/**
 * Replays an allocation trace on a bare buddy allocator ({@code pvm pages --trace FILE}).
 *
 * <p>A trace has one operation per line: {@code alloc SIZE} (SIZE as {@link Sizes#parse} reads it:
 * {@code 4096}, {@code 0x1000}, {@code 64K}, {@code 2M}) and {@code free N}, where N numbers the
 * allocations from 0 in trace order, counting those that returned NULL. Text from {@code #} on and
 * blank lines are ignored. The answer is the address each allocation returned ({@code 0x%08x} or
 * {@code NULL}), in order, then the free blocks as {@link BuddyInfo} tabulates them.
 *
 * <p>Freeing an allocation that returned NULL does nothing, as {@code vm_pageFree(NULL)} does. A
 * line that cannot be replayed (bad syntax, an allocation that does not exist or was freed already) stops the replay with {@code file:line: what was expected}; the allocator is
 * left as the lines before it made it.
 */
public final class TraceReplay {

    private TraceReplay() {
    }

    /** The free blocks of a bare allocator as {@link BuddyInfo} shows them, its RAM as one bank. */
    public static List<String> freeTable(BuddyPageAllocator bare) {
        PageFrames frames = bare.frames();
        long end = frames.count() == 0 ? 0 : frames.addr(frames.count() - 1) + frames.pageSize();
        return BuddyInfo.table(List.of(new BootMemoryMap.Bank("ram", 0, end)), bare.freeBlocks(), frames.pageShift());
    }

    public static Either<String, List<String>> replay(BuddyPageAllocator bare, List<String> traceLines, String fileName) {
        List<String> out = new ArrayList<>();
        // per allocation: its frame (NONE for NULL) and the line that freed it (0 while live)
        int[] frame = new int[16];
        int[] freedAt = new int[16];
        int allocs = 0;
        for (int lineNo = 1; lineNo <= traceLines.size(); lineNo++) {
            String text = traceLines.get(lineNo - 1);
            int hash = text.indexOf('#');
            String op = (hash >= 0 ? text.substring(0, hash) : text).strip();
            if (op.isEmpty()) {
                continue;
            }
            String where = fileName + ":" + lineNo + ": ";
            String[] words = op.split("\\s+");
            if (words.length != 2 || !(words[0].equals("alloc") || words[0].equals("free"))) {
                return Either.left(where + "expected 'alloc SIZE' or 'free N', got '" + op + "'");
            }
            if (words[0].equals("alloc")) {
                long size;
                try {
                    size = Sizes.parse(words[1]);
                } catch (NumberFormatException e) {
                    return Either.left(where + e.getMessage());
                }
                int f = bare.allocFrame(size, PageFlags.OWNER_APP);
                if (allocs == frame.length) {
                    frame = java.util.Arrays.copyOf(frame, allocs * 2);
                    freedAt = java.util.Arrays.copyOf(freedAt, allocs * 2);
                }
                frame[allocs] = f;
                freedAt[allocs] = 0;
                allocs++;
                out.add(f == PageFrames.NONE ? "NULL" : String.format("0x%08x", bare.frames().addr(f)));
            } else {
                int n;
                try {
                    n = Integer.parseInt(words[1]);
                } catch (NumberFormatException e) {
                    return Either.left(where + "expected an allocation number after 'free', got '" + words[1] + "'");
                }
                if (n < 0 || n >= allocs) {
                    return Either.left(where + (allocs == 0
                            ? "expected an earlier allocation to free, but there is none yet"
                            : "expected the number of an earlier allocation (0.." + (allocs - 1) + "), got " + n));
                }
                if (frame[n] == PageFrames.NONE) {
                    // vm_pageFree(NULL) does nothing, so a trace may free what it could not allocate.
                    continue;
                }
                if (freedAt[n] != 0) {
                    return Either.left(where + "allocation " + n + " was already freed at line " + freedAt[n]);
                }
                int code = bare.freeFrame(frame[n]);
                if (code != Errno.EOK) {
                    return Either.left(where + "free of allocation " + n + " refused: " + Errno.describe(code));
                }
                freedAt[n] = lineNo;
            }
        }
        out.addAll(freeTable(bare));
        return Either.right(out);
    }
}
