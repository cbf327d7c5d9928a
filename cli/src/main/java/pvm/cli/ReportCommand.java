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
import pvm.hal.pmap.Architectures;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.scenario.ScenarioRunner;
import pvm.scenario.Session;

/**
 * {@code pvm report}: the machine's state as pictures and text. It boots a machine, runs a
 * scenario on it if one is given (its statements one by one, as the shell would), and writes the
 * page map and the address spaces as SVG pictures beside a text report of every view.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write pictures (SVG) and a text report of a machine, after an optional scenario.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--arch", defaultValue = "i686", description = "target architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--out", defaultValue = "pvm-report", description = "folder to write into (default: ${DEFAULT-VALUE})")
    Path out;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "a scenario to run first")
    Path scenario;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Override
    public Integer call() throws IOException {
        var found = Architectures.named(arch);
        if (found.isLeft()) {
            System.err.println("pvm: " + found.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        var options = policies.apply(KernelOptions.DEFAULT);
        if (options.isLeft()) {
            System.err.println("pvm: " + options.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        Session session = new Session(found.get(), scenario == null ? "report" : scenario.toString(), options.get());
        boolean failed = false;
        if (scenario != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(scenario);
            } catch (IOException e) {
                System.err.println(ScenarioRunner.cannotRead(scenario, e));
                return ExitStatus.BAD_INPUT;
            }
            for (String line : lines) {
                session.execute(line);
                failed |= session.lastFailed();
            }
        }
        if (session.machine().isEmpty()) {
            session.execute("expect verify");
        }
        Machine machine = session.machine().orElseThrow();
        String title = machine.architecture().name() + (scenario == null ? " after boot" : " after " + scenario.getFileName());
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("pages.svg"), PageMapSvg.render(title, machine.pages().info().map(), machine.pageSize()));
            Files.writeString(out.resolve("maps.svg"), AddressSpaceSvg.render(title, bars(machine)));
            Files.writeString(out.resolve("report.txt"), String.join("\n", text(machine)) + "\n");
        } catch (IOException e) {
            System.err.println(CannotWrite.message(out, e));
            return ExitStatus.BAD_INPUT;
        }
        System.out.println("wrote " + out.resolve("pages.svg") + ", " + out.resolve("maps.svg") + " and " + out.resolve("report.txt")
                + (failed ? " (the scenario had failures)" : ""));
        return failed ? ExitStatus.FAILED : ExitStatus.OK;
    }

    private static List<AddressSpaceSvg.Bar> bars(Machine machine) {
        List<AddressSpaceSvg.Bar> bars = new ArrayList<>();
        var kmap = machine.maps().kernelMap();
        bars.add(new AddressSpaceSvg.Bar("kernel", kmap.start().value(), kmap.stop().value(), kmap.entries()));
        for (Process p : machine.processes()) {
            var map = p.map();
            var entries = map == kmap || !machine.architecture().hasMmu() ? map.entries(p) : map.entries();
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
