package pvm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.kernel.KernelOptions;
import pvm.scenario.Scenario;
import pvm.scenario.ScenarioParser;
import pvm.scenario.ScenarioRunner;
import pvm.scenario.Sweep;

/**
 * {@code pvm sweep}: fails every allocation of every statement of a scenario in turn, each on a
 * fresh machine, and checks that the statement takes its out-of-memory path cleanly
 * ({@link Sweep}); docs/scenario-language.md and docs/reliability.md.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Fail each allocation of each statement of a scenario in turn: nothing may leak or break.")
final class SweepCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files (.pvm)")
    List<Path> files;

    @Option(names = {"--arch", "--target"}, defaultValue = Main.DEFAULT_ARCH,
            description = "target architecture, or 'all' (default: ${DEFAULT-VALUE})")
    String arch;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Override
    public Integer call() {
        var chosen = policies.apply(KernelOptions.DEFAULT);
        if (chosen.isLeft()) {
            System.err.println("pvm: " + chosen.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        List<Architecture> targets;
        if (arch.equals(ScenarioRunner.ALL)) {
            targets = Architectures.discover();
        } else {
            var named = Architectures.named(arch);
            if (named.isLeft()) {
                System.err.println("pvm: " + named.getLeft());
                return ExitStatus.BAD_INPUT;
            }
            targets = List.of(named.get());
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Path file : files) {
            var read = ScenarioParser.read(file);
            if (read.isLeft()) {
                read.getLeft().forEach(System.err::println);
                return ExitStatus.BAD_INPUT;
            }
            scenarios.add(read.get().scenario());
        }
        boolean clean = true;
        for (Scenario scenario : scenarios) {
            for (Architecture target : targets) {
                Sweep.Result r = Sweep.run(scenario, target, chosen.get(), f -> System.out.println("  " + f.text()));
                r.error().ifPresent(e -> System.out.println("  not swept to the end: " + e));
                System.out.println(r.summary());
                clean &= r.ok();
            }
        }
        return clean ? ExitStatus.OK : ExitStatus.FAILED;
    }
}
