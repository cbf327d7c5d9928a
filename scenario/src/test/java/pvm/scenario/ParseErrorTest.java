package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Errors point at the exact column and say what could have stood there. */
class ParseErrorTest {

    /** The error text for a one-line file {@code s.pvm} whose line 3 is {@code text}. */
    static String error(String text) {
        var r = ScenarioParser.parseLine("s.pvm", 3, text);
        assertTrue(r.isLeft(), () -> "parsed: " + r.get());
        return r.getLeft().text();
    }

    static void assertError(String expected, String text) {
        assertEquals(expected, error(text));
    }

    @Test
    void missingArguments() {
        assertError("s.pvm:3:6: expected a process name, found end of line", "spawn");
        assertError("s.pvm:3:7: expected a name for the child process, found end of line", "fork p  ");
        assertError("s.pvm:3:11: expected a length such as 4096, 64K or 2P, found end of line", "p munmap 0");
        assertError("s.pvm:3:16: expected a protection (none, or letters from r, w, x such as rw), found end of line",
                "p mprotect 0 1P");
        assertError("s.pvm:3:5: expected a process name, found end of line", "exit      ");
        assertError("s.pvm:3:13: expected a value to store, found end of line", "p store 8 $a");
    }

    @Test
    void misspeltStatementsAndOperations() {
        assertError("s.pvm:3:1: expected a statement (spawn, fork, vfork, exit, file, copy, mark, show, mem, expect, "
                + "or a process name and an operation), found 'spwan'", "spwan p");
        assertError("s.pvm:3:8: expected an operation (mmap, munmap, mprotect, store, load, fill, check, checkfile, copy, sbrk, brk) "
                + "after process 'parent', found 'mmpa'", "parent mmpa 0 1P rw anon");
        assertError("s.pvm:3:1: expected a statement (spawn, fork, vfork, exit, file, copy, mark, show, mem, expect, "
                + "or a process name and an operation), found '42'", "42");
        assertError("s.pvm:3:1: expected a statement (spawn, fork, vfork, exit, file, copy, mark, show, mem, expect, "
                + "or a process name and an operation), found 'parent'", "parent");
    }

    @Test
    void namesAreLowerCase() {
        assertError("s.pvm:3:7: expected a process name, found 'Parent' "
                + "(names are lower case letters, digits and _, starting with a letter)", "spawn Parent");
        assertError("s.pvm:3:7: expected a process name, found '_p' "
                + "(names are lower case letters, digits and _, starting with a letter)", "spawn _p");
        assertError("s.pvm:3:7: expected a process name, found '1p'", "spawn 1p");
        assertError("s.pvm:3:1: expected a variable ($ and a name such as $a), found '$A' "
                + "(names are lower case letters, digits and _, starting with a letter)", "$A = p load 8 0");
        assertError("s.pvm:3:1: expected a variable ($ and a name such as $a), found '$'", "$ = p load 8 0");
    }

    @Test
    void numbers() {
        assertError("s.pvm:3:12: expected a length such as 4096, 64K or 2P, found '64k' "
                + "(the suffixes K, M, G and P are capitals)", "p munmap 0 64k");
        assertError("s.pvm:3:12: expected a length such as 4096, 64K or 2P, found '12abc'", "p munmap 0 12abc");
        assertError("s.pvm:3:10: expected an address such as 0x40000000, $a or $a+1P, found '0x' (no hex digits after 0x)",
                "p munmap 0x 1P");
        assertError("s.pvm:3:12: expected a length such as 4096, 64K or 2P, found '99999999999999999999' (too large)",
                "p munmap 0 99999999999999999999");
        assertError("s.pvm:3:12: expected a length such as 4096, 64K or 2P, found '9999999999999G' (too large)",
                "p munmap 0 9999999999999G");
        assertError("s.pvm:3:13: expected a number or a $variable after '+', found end of line", "p munmap $a+");
        assertError("s.pvm:3:16: expected a number or a $variable after '-', found 'rw'", "p mprotect $a- rw");
    }

    @Test
    void widthsAndValues() {
        assertError("s.pvm:3:9: expected a width in bits (8, 16 or 32), found '12'", "p store 12 $a 1");
        assertError("s.pvm:3:8: expected a width in bits (8, 16 or 32), found '$a'", "p load $a");
        assertError("s.pvm:3:14: expected a value to store, found '0x1ff' (it does not fit in 8 bits; at most 0xff)",
                "p store 8 $a 0x1ff");
        assertError("s.pvm:3:15: expected a value to store, found '65535+1' (it does not fit in 16 bits; at most 0xffff)",
                "p store 16 $a 65535+1");
        assertError("s.pvm:3:15: expected a value to store, found '0-1' (it does not fit in 32 bits; at most 0xffffffff)",
                "p store 32 $a 0-1");
        assertError("s.pvm:3:14: expected a byte to fill with (0 to 0xff), found '256' (it does not fit in 8 bits; at most 0xff)",
                "p fill $a 1P 256");
        assertError("s.pvm:3:23: expected the value expected, found '0x100' (it does not fit in 8 bits; at most 0xff)",
                "expect p load 8 $a == 0x100");
    }

    @Test
    void protectionsAndFlags() {
        assertError("s.pvm:3:13: expected a protection (none, or letters from r, w, x such as rw), found 'rwz'",
                "p mmap 0 1P rwz anon");
        assertError("s.pvm:3:13: expected a protection (none, or letters from r, w, x such as rw), found 'rr'",
                "p mmap 0 1P rr anon");
        assertError("s.pvm:3:15: expected flags (a comma-separated list from private, shared, anon, fixed, uncached, "
                + "device, noinherit, physmem, contiguous), found end of line", "p mmap 0 1P rw  ");
        assertError("s.pvm:3:24: expected a flag after ',' (private, shared, anon, fixed, uncached, device, noinherit, physmem, contiguous), "
                + "found 'anonymous'", "p mmap 0 1P rw private,anonymous");
        assertError("s.pvm:3:24: expected a flag after ',' (private, shared, anon, fixed, uncached, device, noinherit, physmem, contiguous), "
                + "found 'shared' (private and shared exclude each other)", "p mmap 0 1P rw private,shared");
        assertError("s.pvm:3:21: expected a flag after ',' (private, shared, anon, fixed, uncached, device, noinherit, physmem, contiguous), "
                + "found 'anon' ('anon' is already given)", "p mmap 0 1P rw anon,anon");
        assertError("s.pvm:3:24: expected a flag after ',' (private, shared, anon, fixed, uncached, device, noinherit, physmem, contiguous), "
                + "found end of line", "p mmap 0 1P rw private,");
    }

    @Test
    void trailingTokensNameWhatCouldHaveFollowed() {
        assertError("s.pvm:3:9: expected end of line, found 'q'", "spawn p q");
        assertError("s.pvm:3:29: expected ',' and another flag, 'file F OFFSET' or end of line, found 'extra'",
                "p mmap 0 1P rw private,anon extra");
        assertError("s.pvm:3:16: expected 'fill BYTE', 'pattern' or end of line, found 'zeros'", "file data 4096 zeros");
        assertError("s.pvm:3:26: expected a file offset such as 0 or 1P, found end of line", "p mmap 0 1P r anon file f");
        assertError("s.pvm:3:10: expected a process name or end of line, found '0x10'", "show mem 0x10");
        assertError("s.pvm:3:15: expected end of line, found '0'", "expect verify 0");
    }

    @Test
    void expectations() {
        assertError("s.pvm:3:27: expected '->' and an outcome, found end of line", "expect parent munmap $a 1P");
        assertError("s.pvm:3:23: expected '==' and a value or '->' and an outcome, found end of line",
                "expect child load 8 $a");
        assertError("s.pvm:3:33: expected ',' and another flag, 'file F OFFSET' or '->' and an outcome, found '=='",
                "expect p mmap 0 1P rw anon      == 1");
        assertError("s.pvm:3:23: expected an outcome (ok, SEGV or an errno name: EACCES, EBUSY, EFAULT, EINVAL, ENOENT, "
                + "ENOMEM, ENOSYS), found 'segv' (write ok in lower case, SEGV and errno names in capitals)",
                "expect p load 8 $a -> segv");
        assertError("s.pvm:3:23: expected an outcome (ok, SEGV or an errno name: EACCES, EBUSY, EFAULT, EINVAL, ENOENT, "
                + "ENOMEM, ENOSYS), found 'EPERM'", "expect p load 8 $a -> EPERM");
        assertError("s.pvm:3:26: expected end of line, found 'ok'", "expect p load 8 $a -> ok ok");
        assertError("s.pvm:3:8: expected a statement to expect, found 'expect' (expect cannot be nested)",
                "expect expect verify -> ok");
        assertError("s.pvm:3:8: expected a statement to expect, found 'boot' (a header statement cannot be expected)",
                "expect boot -> ok");
        assertError("s.pvm:3:17: expected a mark name, found end of line", "expect unchanged");
        assertError("s.pvm:3:1: expected a statement (spawn, fork, vfork, exit, file, copy, mark, show, mem, expect, "
                + "or a process name and an operation), found '->'", "-> ok");
    }

    @Test
    void assignments() {
        assertError("s.pvm:3:4: expected '=' after $a, found 'p'", "$a p mmap 0 1P rw anon");
        assertError("s.pvm:3:8: expected 'mmap', 'load', 'sbrk' or 'brk' (the operations whose result can be assigned), found 'store'",
                "$a = p store 8 0 1");
        assertError("s.pvm:3:6: expected a process name followed by mmap or load, found '1'", "$a = 1");
    }

    @Test
    void headers() {
        assertError("s.pvm:3:10: expected 'mmu' or 'nommu', found 'mpu'", "requires mpu");
        assertError("s.pvm:3:7: expected a target name such as i686 or nommu, found end of line", "target");
        assertError("s.pvm:3:10: expected '=' after 'ram', found '64M'", "boot ram 64M");
        assertError("s.pvm:3:13: expected 'cpus=N', 'phoenix', 'POLICY=VALUE' or end of line, found 'ram' ('ram' is already given)",
                "boot ram=1M ram=2M");
        assertError("s.pvm:3:6: expected 'ram=SIZE', 'cpus=N', 'phoenix', 'POLICY=VALUE' or end of line, found 'memory' "
                + "(no policy 'memory'; the policies are coalescing, zones, paging, protnone)", "boot memory=1M");
        assertError("s.pvm:3:11: expected a number of CPUs (at least 1), found '0'", "boot cpus=0");
        assertError("s.pvm:3:10: expected a RAM size such as 64M, found end of line", "boot ram=");
        assertError("s.pvm:3:13: expected 'ram=SIZE', 'phoenix', 'POLICY=VALUE' or end of line, found '2'", "boot cpus=1 2");
    }

    @Test
    void views() {
        assertError("s.pvm:3:6: expected a view (pages, mem, map, buddy, kmalloc, objects, processes, vars or walk ADDR), found 'maps'",
                "show maps");
        assertError("s.pvm:3:10: expected an address to walk, such as $a or 0x40000000, found end of line", "show walk");
    }

    @Test
    void badCharacters() {
        assertError("s.pvm:3:7: expected a process name, found '%'", "spawn %");
        assertError("s.pvm:3:12: expected a length such as 4096, 64K or 2P, found '*'", "p munmap 0 *2");
    }
}
