package pvm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pvm.cli.explore.ExplorerPage;
import pvm.cli.explore.ScenarioReplay;
import pvm.hal.pmap.Architecture;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Session;

/**
 * {@code pvm report}: the machine's state as pictures and text. It boots a machine, runs a
 * scenario on it if one is given (its statements one by one, as the shell would), and writes the
 * page map and the address spaces as SVG pictures beside a text report of every view. With a
 * scenario it also writes the explorer, one HTML page that replays it statement by statement.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write pictures (SVG), a text report and, for a scenario, a step-by-step explorer (HTML).")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--arch", defaultValue = Main.DEFAULT_ARCH, description = "target architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--out", defaultValue = "pvm-report", description = "folder to write into (default: ${DEFAULT-VALUE})")
    Path out;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "a scenario to run first")
    Path scenario;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Override
    public Integer call() throws IOException {
        var chosen = policies.withTarget(arch);
        if (chosen.isLeft()) {
            System.err.println("pvm: " + chosen.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        Architecture target = chosen.get().architecture();
        KernelOptions options = chosen.get().options();
        Session session;
        boolean failed = false;
        String skipped = null;
        String explorer = null;
        if (scenario != null) {
            // As 'pvm run' does: nothing runs when the scenario cannot be read or does not parse.
            var parsed = ScenarioParser.read(scenario);
            if (parsed.isLeft()) {
                parsed.getLeft().forEach(System.err::println);
                return ExitStatus.BAD_INPUT;
            }
            var replay = ScenarioReplay.replay(target, options, scenario, parsed.get().text().lines().toList());
            session = replay.session();
            failed = replay.failed();
            skipped = replay.skipped().orElse(null);
            explorer = replay.data();
        } else {
            session = new Session(target, "report", options);
            session.execute("expect verify");
        }
        if (session.machine().isEmpty()) {
            System.err.println("pvm: the machine did not boot; 'pvm run' on the scenario says why");
            return ExitStatus.FAILED;
        }
        Machine machine = session.machine().get();
        String title = machine.architecture().name() + (scenario == null ? " after boot" : " after " + scenario.getFileName());
        String wrote = out.resolve("pages.svg") + ", " + out.resolve("maps.svg") + " and " + out.resolve("report.txt");
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("pages.svg"), PageMapSvg.render(title, machine.pages().info().map(), machine.pageSize()));
            Files.writeString(out.resolve("maps.svg"), AddressSpaceSvg.render(title, bars(machine)));
            Files.writeString(out.resolve("report.txt"), String.join("\n", text(machine)) + "\n");
            if (explorer != null) {
                Path page = out.resolve(ExplorerPage.FILE_NAME);
                Files.writeString(page, ExplorerPage.render("pvm: " + scenario.getFileName() + " on " + machine.architecture().name(), explorer));
                wrote = out.resolve("pages.svg") + ", " + out.resolve("maps.svg") + ", " + out.resolve("report.txt") + " and " + page
                        + " (open it in a browser to step through the scenario)";
            }
        } catch (IOException e) {
            System.err.println(CannotWrite.message(out, e));
            return ExitStatus.BAD_INPUT;
        }
        System.out.println("wrote " + wrote + (failed ? " (the scenario had failures)" : "")
                + (skipped != null ? " (skipped on " + machine.architecture().name() + ": " + skipped + ")" : ""));
        return failed ? ExitStatus.FAILED : ExitStatus.OK;
    }

    private static List<AddressSpaceSvg.Bar> bars(Machine machine) {
        List<AddressSpaceSvg.Bar> bars = new ArrayList<>();
        var kmap = machine.maps().kernelMap();
        bars.add(new AddressSpaceSvg.Bar("kernel", kmap.start().value(), kmap.stop().value(), kmap.entries()));
        for (Process p : machine.processes()) {
            var map = p.map();
            // In a map several processes share (the kernel's, or a board map without an MMU) a
            // process's address space is the entries it made.
            var entries = map.isShared() ? map.entries(p) : map.entries();
            bars.add(new AddressSpaceSvg.Bar(p.name(), map.start().value(), map.stop().value(), entries));
        }
        return bars;
    }

    private static List<String> text(Machine machine) {
        List<String> lines = new ArrayList<>(machine.bootLog());
        lines.add("");
        lines.addAll(machine.showPages());
        lines.add("");
        lines.addAll(machine.showMem());
        lines.addAll(machine.showBuddy());
        lines.add("");
        lines.addAll(machine.showKmalloc());
        lines.add("");
        lines.addAll(machine.showMap(null));
        for (Process p : machine.processes()) {
            lines.addAll(machine.showMap(p));
        }
        lines.add("");
        lines.addAll(machine.showObjects());
        List<String> violations = machine.verify();
        lines.add(violations.isEmpty() ? "invariants: ok" : "invariants: " + String.join("; ", violations));
        return lines;
    }
}
