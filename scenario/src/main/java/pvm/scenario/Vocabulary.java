package pvm.scenario;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VmError;

/** The words of the scenario language and what they mean: keywords, protections, flags, errnos. */
final class Vocabulary {

    /** Names of processes, files, marks and variables. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** Words that begin a statement of their own. */
    static final List<String> STATEMENT_KEYWORDS =
            List.of("spawn", "fork", "vfork", "exit", "file", "copy", "mark", "show", "mem", "purge", "expect", "requires", "target", "boot",
                    "inject", "kernel");

    static final Set<String> HEADER_KEYWORDS = Set.of("requires", "target", "boot");

    /** Operations a process performs: {@code P mmap ...}. */
    static final List<String> OPERATIONS =
            List.of("mmap", "munmap", "mprotect", "store", "load", "fill", "check", "checkfile", "copy", "sbrk", "brk", "volatile",
                    "nonvolatile");

    /** The flag words and their {@link MapFlags} bits ({@code private} and {@code shared} are 0 there). */
    static final Map<String, Integer> FLAGS = flags();

    /** Errno names a statement can fail with: one per kind of {@link VmError}. */
    static final List<String> ERRNOS = Arrays.stream(VmError.class.getPermittedSubclasses())
            .map(Class::getSimpleName).sorted().toList();

    static final String STATEMENT = "a statement (spawn, fork, vfork, exit, file, copy, mark, show, mem, purge, expect, inject, "
            + "or a process name and an operation)";
    static final String OPERATION = "an operation (" + String.join(", ", OPERATIONS) + ")";
    static final String PROT = "a protection (none, or letters from r, w, x such as rw)";
    static final String FLAG = "a flag (" + String.join(", ", FLAGS.keySet()) + ")";
    static final String OUTCOME = "an outcome (ok, SEGV, OOM or an errno name: " + String.join(", ", ERRNOS) + ")";
    static final String VIEW = "a view (pages, mem, map, buddy, kmalloc, objects, processes, vars, stats or walk ADDR)";

    private Vocabulary() {
    }

    private static Map<String, Integer> flags() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("private", MapFlags.PRIVATE);
        m.put("shared", MapFlags.SHARED);
        m.put("anon", MapFlags.ANONYMOUS);
        m.put("fixed", MapFlags.FIXED);
        m.put("uncached", MapFlags.UNCACHED);
        m.put("device", MapFlags.DEVICE);
        m.put("noinherit", MapFlags.NOINHERIT);
        m.put("physmem", MapFlags.PHYSMEM);
        m.put("contiguous", MapFlags.CONTIGUOUS);
        m.put("populate", pvm.kernel.Commit.MAP_POPULATE);
        m.put("noreserve", pvm.kernel.Commit.MAP_NORESERVE);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code none}, or letters from {@code r}, {@code w}, {@code x} in any order, each at most once. */
    static OptionalInt prot(String word) {
        if (word.equals("none")) {
            return OptionalInt.of(Prot.NONE);
        }
        int prot = 0;
        for (int i = 0; i < word.length(); i++) {
            int bit = switch (word.charAt(i)) {
                case 'r' -> Prot.READ;
                case 'w' -> Prot.WRITE;
                case 'x' -> Prot.EXEC;
                default -> -1;
            };
            if (bit < 0 || (prot & bit) != 0) {
                return OptionalInt.empty();
            }
            prot |= bit;
        }
        return word.isEmpty() ? OptionalInt.empty() : OptionalInt.of(prot);
    }

    /** A protection as a scenario writes it: {@code none}, {@code r}, {@code rw}, {@code rwx}. */
    static String protText(int prot) {
        if ((prot & (Prot.READ | Prot.WRITE | Prot.EXEC)) == 0) {
            return "none";
        }
        return ((prot & Prot.READ) != 0 ? "r" : "") + ((prot & Prot.WRITE) != 0 ? "w" : "")
                + ((prot & Prot.EXEC) != 0 ? "x" : "");
    }
}
