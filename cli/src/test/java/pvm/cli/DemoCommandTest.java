package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@code pvm demo}: the tour on every target, one lesson by name or number, step mode, lessons from disk. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock("java.lang.System.in")
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class DemoCommandTest {

    @Test
    void theTourPassesOnEveryTargetAndSkipsWhatATargetCannotRun() {
        for (var arch : pvm.hal.pmap.Architectures.discover()) {
            Cli.Result r = Cli.run("demo", "--arch", arch.name());
            assertEquals(0, r.status(), arch.name() + ": " + r.out() + r.err());
            assertTrue(r.out().contains("=== after the tour"), r.out());
            assertTrue(r.out().contains("# Lesson 1: demand paging."), "comments explain the statements");
            String nommu = "=== 12-no-mmu-one-address-space.pvm";
            String riscv = "=== 13-riscv64-three-level-walk.pvm";
            assertEquals(arch.hasMmu(), r.out().contains(nommu + ": skipped on " + arch.name()), arch.name());
            assertEquals(!arch.name().equals("riscv64"), r.out().contains(riscv + ": skipped on " + arch.name()), arch.name());
        }
    }

    @Test
    void oneLessonByNumberOrName() {
        Cli.Result byNumber = Cli.run("demo", "--arch", "nommu", "12");
        assertEquals(0, byNumber.status(), byNumber.out());
        assertTrue(byNumber.out().contains("=== 12-no-mmu-one-address-space.pvm ==="), byNumber.out());
        assertTrue(byNumber.out().contains("-> ENOSYS (fork needs an MMU; use vfork)"), byNumber.out());
        Cli.Result byName = Cli.run("demo", "copy-on-write");
        assertEquals(0, byName.status());
        assertTrue(byName.out().contains("=== 02-copy-on-write.pvm ===") && !byName.out().contains("01-demand-paging"), byName.out());
        Cli.Result unknown = Cli.run("demo", "no-such-lesson");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("pvm: no lesson 'no-such-lesson' in "), unknown.err());
    }

    @Test
    void aLessonWithABootLineRunsOnTheMachineItNames() {
        Cli.Result r = Cli.run("demo", "17");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("Booting the lesson's i686 machine"), r.out());
        assertTrue(r.out().contains("-> ENOMEM (commit of 1 GiB"), "commit=strict, from the lesson's boot line: " + r.out());
    }

    @Test
    void stepWaitsForEnterBeforeEachStatement() {
        Cli.Result r = CommandLineTest.runWithInput("\n".repeat(100), "demo", "--step", "9");
        assertEquals(0, r.status(), r.err());
        long statements = r.out().lines().filter(l -> l.matches("(\\[Enter] )? *\\d+  .*")).count();
        long waits = r.out().split("\\[Enter] ", -1).length - 1;
        assertEquals(statements, waits, r.out());
        assertTrue(waits > 5, r.out());
    }

    @Test
    void lessonsAreReadFromDiskWhenTheDemoRuns(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("42-new-lesson.pvm"), "# Written after the build.\nspawn p\nexit p\n");
        String old = System.getProperty(Lessons.FOLDER_PROPERTY);
        try {
            System.setProperty(Lessons.FOLDER_PROPERTY, dir.toString());
            Cli.Result r = Cli.run("demo", "42");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("# Written after the build.\n  2  spawn p  -> pid"), r.out());
        } finally {
            System.setProperty(Lessons.FOLDER_PROPERTY, old);
        }
    }
}
