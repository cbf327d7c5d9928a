package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.scenario.Statement.Boot;
import pvm.scenario.Statement.Check;
import pvm.scenario.Statement.CheckFile;
import pvm.scenario.Statement.Exit;
import pvm.scenario.Statement.Expect;
import pvm.scenario.Statement.ExpectLoad;
import pvm.scenario.Statement.ExpectUnchanged;
import pvm.scenario.Statement.ExpectVerify;
import pvm.scenario.Statement.FileDecl;
import pvm.scenario.Statement.Fill;
import pvm.scenario.Statement.Fork;
import pvm.scenario.Statement.Load;
import pvm.scenario.Statement.Mark;
import pvm.scenario.Statement.Mmap;
import pvm.scenario.Statement.Mprotect;
import pvm.scenario.Statement.Munmap;
import pvm.scenario.Statement.Requires;
import pvm.scenario.Statement.Show;
import pvm.scenario.Statement.Spawn;
import pvm.scenario.Statement.Store;
import pvm.scenario.Statement.Target;
import pvm.scenario.Statement.Vfork;

/** Every statement form of docs/scenario-language.md parses to the statement it says. */
class StatementParserTest {

    static Statement parse(String text) {
        var r = ScenarioParser.parseLine("t.pvm", 1, text);
        assertTrue(r.isRight(), () -> "did not parse: " + r.getLeft());
        return r.get().orElseThrow().statement();
    }

    /** An expression's value with $a = 0x40000000 on 4 KiB pages. */
    static long value(Expr e) {
        return e.evaluate(4096, Map.of("a", 0x40000000L)).get();
    }

    @Test
    void blankAndCommentLinesAreNothing() {
        assertTrue(ScenarioParser.parseLine("t", 1, "").get().isEmpty());
        assertTrue(ScenarioParser.parseLine("t", 1, "   # fork and copy-on-write").get().isEmpty());
    }

    @Test
    void processLifecycle() {
        assertEquals(new Spawn("parent"), parse("spawn parent"));
        assertEquals(new Fork("parent", "child"), parse("fork parent child"));
        assertEquals(new Vfork("p", "c_2"), parse("vfork p c_2"));
        assertEquals(new Exit("child"), parse("exit child"));
    }

    @Test
    void headerStatements() {
        assertEquals(new Requires(Requirement.MMU), parse("requires mmu"));
        assertEquals(new Requires(Requirement.NOMMU), parse("requires nommu"));
        assertEquals(new Target("i686"), parse("target i686"));
        assertEquals(Boot.DEFAULT, parse("boot"));
        Boot b = (Boot) parse("boot ram=64M cpus=2");
        assertEquals(64L << 20, value(b.ram().orElseThrow()));
        assertEquals(2L, value(b.cpus().orElseThrow()));
        Boot reversed = (Boot) parse("boot cpus=4 ram=0x1000000");
        assertEquals(0x1000000L, value(reversed.ram().orElseThrow()));
        assertEquals(4L, value(reversed.cpus().orElseThrow()));
        assertTrue(((Boot) parse("boot cpus=3")).ram().isEmpty());
    }

    @Test
    void mmapWithAllItsParts() {
        Mmap m = (Mmap) parse("$a = parent mmap 0 1P rw private,anon");
        assertEquals(Optional.of("a"), m.variable());
        assertEquals("parent", m.process());
        assertEquals(0L, value(m.address()));
        assertEquals(4096L, value(m.length()));
        assertEquals(Prot.READ | Prot.WRITE, m.prot());
        assertEquals(MapFlags.ANONYMOUS, m.flags());
        assertEquals(Sharing.PRIVATE, m.sharing());
        assertTrue(m.file().isEmpty());

        Mmap f = (Mmap) parse("p mmap 0x40000000 64K rx shared,fixed,uncached,device,noinherit file data 1P");
        assertTrue(f.variable().isEmpty());
        assertEquals(MapFlags.FIXED | MapFlags.UNCACHED | MapFlags.DEVICE | MapFlags.NOINHERIT, f.flags());
        assertEquals(Sharing.SHARED, f.sharing());
        assertEquals(Prot.READ | Prot.EXEC, f.prot());
        assertEquals("data", f.file().orElseThrow().name());
        assertEquals(4096L, value(f.file().orElseThrow().offset()));

        Mmap anon = (Mmap) parse("p mmap $a+1P 2P none anon");
        assertEquals(Sharing.UNSPECIFIED, anon.sharing());
        assertEquals(Prot.NONE, anon.prot());
        assertEquals(0x40001000L, value(anon.address()));
    }

    @Test
    void protectionLettersInAnyOrder() {
        int rwx = Prot.READ | Prot.WRITE | Prot.EXEC;
        for (String p : new String[] {"rwx", "xwr", "wxr", "rxw"}) {
            assertEquals(rwx, ((Mprotect) parse("p mprotect $a 1P " + p)).prot(), p);
        }
        assertEquals(Prot.WRITE, ((Mprotect) parse("p mprotect $a 1P w")).prot());
        assertEquals(Prot.EXEC, ((Mprotect) parse("p mprotect $a 1P x")).prot());
        assertEquals(Prot.NONE, ((Mprotect) parse("p mprotect $a 1P none")).prot());
        assertEquals(0, ((Mprotect) parse("p mprotect $a 1P none")).prot() & Prot.USER, "USER is the kernel's to add");
    }

    @Test
    void flagsMayBeSpacedAroundCommas() {
        Mmap m = (Mmap) parse("p mmap 0 1P rw private , anon");
        assertEquals(MapFlags.ANONYMOUS, m.flags());
        assertEquals(Sharing.PRIVATE, m.sharing());
    }

    @Test
    void memoryOperations() {
        Munmap u = (Munmap) parse("p munmap $a 1P");
        assertEquals("p", u.process());
        assertEquals(0x40000000L, value(u.address()));
        Store s = (Store) parse("parent store 16 $a+2 0xbeef");
        assertEquals(16, s.width());
        assertEquals(0x40000002L, value(s.address()));
        assertEquals(0xbeefL, value(s.value()));
        Load l = (Load) parse("$v = child load 32 $a");
        assertEquals(Optional.of("v"), l.variable());
        assertEquals(32, l.width());
        assertTrue(((Load) parse("child load 8 $a")).variable().isEmpty());
        Fill f = (Fill) parse("p fill $a 1P 0xaa");
        assertEquals(0xaaL, value(f.value()));
        Check c = (Check) parse("p check $a 4096 0");
        assertEquals(4096L, value(c.length()));
        CheckFile cf = (CheckFile) parse("p checkfile $a 2P data 0x1000");
        assertEquals("data", cf.file());
        assertEquals(0x1000L, value(cf.offset()));
        Statement.Copy cp = (Statement.Copy) parse("p copy $a+1P $a 100");
        assertEquals(0x40001000L, value(cp.destination()));
        assertEquals(0x40000000L, value(cp.source()));
        assertEquals(100L, value(cp.length()));
        Statement.CopyBetween cb = (Statement.CopyBetween) parse("copy child $a parent $a+2 1P");
        assertEquals("child", cb.to());
        assertEquals("parent", cb.from());
        assertEquals(0x40000002L, value(cb.source()));
        assertEquals(Optional.of("child"), cb.actor());
        assertEquals("copy", ((Statement.Copy) parse("copy copy $a $a 1")).process(), "a process may be called copy");
    }

    @Test
    void filesWithFillOrPattern() {
        FileDecl pattern = (FileDecl) parse("file data 3P");
        assertTrue(pattern.fill().isEmpty());
        assertEquals(3 * 4096L, value(pattern.size()));
        assertTrue(((FileDecl) parse("file data 100 pattern")).fill().isEmpty());
        assertEquals(0x5aL, value(((FileDecl) parse("file data 8K fill 0x5a")).fill().orElseThrow()));
        assertEquals(7, FileDecl.patternByte(0));
        assertEquals(38, FileDecl.patternByte(1));
        assertEquals((300 * 31 + 7) & 0xff, FileDecl.patternByte(300));
    }

    @Test
    void marksAndViews() {
        assertEquals(new Mark("before"), parse("mark before"));
        for (View v : View.values()) {
            if (v == View.WALK) {
                continue;
            }
            assertEquals(new Show(v, Optional.empty(), Optional.empty()), parse("show " + v.keyword()));
            assertEquals(new Show(v, Optional.empty(), Optional.of("p")), parse("show " + v.keyword() + " p"));
        }
        Show walk = (Show) parse("show walk $a+4 child");
        assertEquals(View.WALK, walk.view());
        assertEquals(0x40000004L, value(walk.address().orElseThrow()));
        assertEquals(Optional.of("child"), walk.process());
        assertTrue(((Show) parse("show walk 0xc0000000")).process().isEmpty());
    }

    @Test
    void expectations() {
        Expect e = (Expect) parse("expect child store 8 $a 1 -> SEGV");
        assertInstanceOf(Store.class, e.statement());
        assertEquals(new Outcome.Segv(), e.outcome());
        assertEquals(new Outcome.Ok(), ((Expect) parse("expect parent munmap $a 1P -> ok")).outcome());
        assertEquals(new Outcome.Errno("ENOMEM"), ((Expect) parse("expect p mmap 0 1G rw anon -> ENOMEM")).outcome());
        assertEquals(new Outcome.Errno("ENOSYS"), ((Expect) parse("expect fork p q -> ENOSYS")).outcome());
        Expect assigned = (Expect) parse("expect $b = p mmap 0 1P rw anon -> ok");
        assertEquals(Optional.of("b"), ((Mmap) assigned.statement()).variable());
        Expect loadOutcome = (Expect) parse("expect p load 8 $a -> SEGV");
        assertInstanceOf(Load.class, loadOutcome.statement());

        ExpectLoad l = (ExpectLoad) parse("expect child load 8 $a == 0x42");
        assertEquals("child", l.process());
        assertEquals(8, l.width());
        assertEquals(0x42L, value(l.value()));
        assertEquals(new ExpectUnchanged("start"), parse("expect unchanged start"));
        assertEquals(new ExpectVerify(), parse("expect verify"));
    }

    @Test
    void everyErrnoTheKernelCanReturnIsAnOutcome() {
        for (String errno : new String[] {"EINVAL", "ENOMEM", "EACCES", "EFAULT", "ENOSYS", "EBUSY", "ENOENT"}) {
            assertEquals(new Outcome.Errno(errno), ((Expect) parse("expect p munmap 0 1P -> " + errno)).outcome());
        }
    }

    @Test
    void keywordsAreNamesWhereAnOperationFollows() {
        // A process may be called like a keyword: "NAME OPERATION ARG" is an operation.
        assertEquals("mark", ((Load) parse("mark load 8 $a")).process());
        assertEquals("expect", ((Store) parse("expect store 8 $a 1")).process());
        assertEquals("file", ((Mmap) parse("file mmap 0 1P rw anon")).process());
        assertEquals("spawn", ((Munmap) parse("spawn munmap $a 1P")).process());
        // ...and a keyword otherwise.
        assertEquals(new Spawn("load"), parse("spawn load"));
        assertEquals(new Mark("load"), parse("mark load"));
        assertEquals(new Fork("load", "x"), parse("fork load x"));
        assertEquals(new Spawn("verify"), parse("spawn verify"));
        assertEquals("verify", ((ExpectLoad) parse("expect verify load 8 $a == 1")).process());
        assertEquals("unchanged", ((Store) ((Expect) parse("expect unchanged store 8 $a 1 -> ok")).statement()).process());
        assertEquals(new ExpectUnchanged("load"), parse("expect unchanged load"));
        assertEquals(new Spawn("expect"), ((Expect) parse("expect spawn expect -> ok")).statement());
    }

    @Test
    void actorsForTheVforkRule() {
        assertEquals(Optional.of("p"), parse("fork p q").actor());
        assertEquals(Optional.of("p"), parse("vfork p q").actor());
        assertEquals(Optional.of("p"), parse("exit p").actor());
        assertEquals(Optional.of("p"), parse("expect p load 8 0 == 0").actor());
        assertEquals(Optional.of("p"), parse("expect p munmap 0 1P -> ok").actor());
        assertEquals(Optional.of("p"), parse("show map p").actor());
        assertEquals(Optional.empty(), parse("spawn p").actor());
        assertEquals(Optional.empty(), parse("show map").actor());
        assertEquals(Optional.empty(), parse("mark m").actor());
    }

    @Test
    void theLineKeepsTheStatementAsWritten() {
        Line l = ScenarioParser.parseLine("t", 7, "  $a = parent mmap 0 1P rw private,anon   # first").get().orElseThrow();
        assertEquals(7, l.number());
        assertEquals("$a = parent mmap 0 1P rw private,anon", l.text());
    }
}
