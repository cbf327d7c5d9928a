package pvm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Sizes;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;
import pvm.scenario.Comments;
import pvm.scenario.Line;
import pvm.scenario.MachineBooter;
import pvm.scenario.Requirement;
import pvm.scenario.Scenario;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Session;

/**
 * {@code pvm demo}: the guided tour. It boots the target's default machine, shows its page map,
 * then runs lessons from {@code examples/} one after the other on that one machine, each lesson's
 * comments before the statements they explain (as {@code pvm run --explain} prints them), and
 * shows the page map again at the end. A lesson the target cannot run is skipped, with the reason.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A guided tour: lessons from examples/ on one machine (or one lesson, by name or number).")
final class DemoCommand implements Callable<Integer> {

    /** The lessons of the tour, in order; each is a file of examples/. */
    static final List<String> TOUR = List.of("01-demand-paging.pvm", "06-neighbour-merging.pvm",
            "02-copy-on-write.pvm", "08-page-tables-cost-memory.pvm", "07-leak-free-exit.pvm",
            "12-no-mmu-one-address-space.pvm", "13-riscv64-three-level-walk.pvm");

    @Parameters(arity = "0..1", paramLabel = "LESSON",
            description = "only this lesson of examples/: its number (2), file name, or name (copy-on-write)")
    String lesson;

    @Option(names = "--arch", defaultValue = Main.DEFAULT_ARCH, description = "target architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--step", description = "wait for Enter before each statement")
    boolean step;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    private BufferedReader keyboard;

    @Override
    public Integer call() throws IOException {
        var chosen = policies.withTarget(arch);
        if (chosen.isLeft()) {
            System.err.println("pvm: " + chosen.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        Architecture target = chosen.get().architecture();
        KernelOptions options = chosen.get().options();
        List<Path> lessons = new ArrayList<>();
        if (lesson != null) {
            var named = Lessons.named(lesson);
            if (named.isEmpty()) {
                System.err.println("pvm: no lesson '" + lesson + "' in " + Lessons.folder() + "; there are "
                        + Lessons.all().stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
                return ExitStatus.BAD_INPUT;
            }
            lessons.add(named.get());
        } else {
            TOUR.forEach(name -> lessons.add(Lessons.folder().resolve(name)));
        }
        List<Scenario> parsed = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Path file : lessons) {
            var read = ScenarioParser.read(file);
            if (read.isLeft()) {
                read.getLeft().forEach(System.err::println);
                return ExitStatus.BAD_INPUT;
            }
            parsed.add(read.get().scenario());
            texts.add(read.get().text());
        }

        // One lesson that names its machine (a boot header: RAM, policies) runs on that machine.
        var header = parsed.size() == 1 ? parsed.getFirst().header() : pvm.scenario.Header.NONE;
        System.out.printf("Booting the %s %s machine. In the page map every letter is one %s page:%n",
                header.boot().isPresent() ? "lesson's" : "default", target.name(), Sizes.human(target.pageSize()));
        System.out.println("  '.' free, K kernel, Y syspage, C cpu, P page table, S stack, H heap, B boot, A/U application;");
        System.out.println("  [Nc] is N pages marked c, [Nx] a hole of N pages in physical memory.");
        System.out.println();
        var booted = header.boot().isPresent() ? MachineBooter.boot(target, header.bootStatement(), options)
                : Machine.boot(target, new MachineConfig(target.defaultRam(), 1), options, line -> { }).mapLeft(e -> e.message());
        if (booted.isLeft()) {
            System.err.println("pvm: the machine does not boot: " + booted.getLeft());
            return ExitStatus.FAILED;
        }
        Machine machine = booted.get();
        machine.bootLog().forEach(System.out::println);
        if (step) {
            keyboard = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println();
            System.out.println("(--step: Enter runs the next statement)");
        }
        boolean failed = false;
        for (int i = 0; i < parsed.size(); i++) {
            failed |= teach(parsed.get(i), texts.get(i), machine);
        }
        System.out.println();
        System.out.println("=== after the " + (lesson == null ? "tour " : "lesson ") + "=".repeat(56));
        machine.views().pages().forEach(System.out::println);
        MemoryViews.printSummary(machine, System.out);
        return failed ? ExitStatus.FAILED : ExitStatus.OK;
    }

    /** Runs one lesson on the tour's machine; whether a statement failed. */
    private boolean teach(Scenario lesson, String text, Machine machine) throws IOException {
        String name = lesson.path().getFileName().toString();
        System.out.println();
        var skip = lesson.header().skipReason(machine.architecture().name(), Requirement.MMU.metBy(machine.architecture()));
        if (skip.isPresent()) {
            String other = lesson.header().target()
                    .orElse(lesson.header().requires().map(r -> r.keyword().equals("nommu") ? "nommu" : "i686").orElse("i686"));
            System.out.println("=== " + name + ": skipped on " + machine.architecture().name() + " (" + skip.get()
                    + "; pvm demo --arch " + other + " " + name.replaceFirst("\\.pvm$", "") + " runs it)");
            return false;
        }
        System.out.println("=== " + name + " " + "=".repeat(Math.max(3, 70 - name.length())));
        Set<Integer> statements = lesson.statements().stream().map(Line::number).collect(Collectors.toSet());
        // A session of its own, so the results carry the lesson's line numbers; the header was
        // checked above and the machine is booted, so header lines run as blank ones.
        Session session = Session.on(machine);
        boolean failed = false;
        int number = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            number++;
            if (Comments.isComment(raw)) {
                System.out.println(raw.strip());
                session.execute("");
                continue;
            }
            if (!statements.contains(number)) {
                session.execute("");
                continue;
            }
            waitForEnter();
            session.execute(raw).forEach(System.out::println);
            failed |= session.lastFailed();
        }
        return failed;
    }

    private void waitForEnter() throws IOException {
        if (keyboard == null) {
            return;
        }
        System.out.print("[Enter] ");
        System.out.flush();
        if (keyboard.readLine() == null) {
            keyboard = null;  // the input ended: run the rest without waiting
        }
    }
}
