package pvm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pvm.kernel.KernelOptions;
import pvm.scenario.ScenarioRunner;

/** {@code pvm run}: runs scenario files (docs/scenario-language.md) on one target or on all of them. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run scenario files on a target (or on every target with --arch all).")
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files (.pvm) or folders of them; - reads standard input")
    List<Path> files;

    @Option(names = "--arch", defaultValue = Main.DEFAULT_ARCH,
            description = "target architecture, or 'all' (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--keep-going", description = "carry on after a failed statement")
    boolean keepGoing;

    @Option(names = "--quiet", description = "print only the summaries")
    boolean quiet;

    @Option(names = "--verify-each", description = "run every layer's invariant checker (as 'expect verify') after every statement; "
            + "the first statement after which one fails is the failure")
    boolean verifyEach;

    @Option(names = "--explain", description = "print each comment block before the statements it precedes")
    boolean explain;

    @Option(names = "--files", paramLabel = "DIR",
            description = "make the files of host folder DIR mappable by name (mmap ... file NAME OFFSET)")
    Path hostFiles;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Option(names = "--json", description = "print one JSON object per statement (a view's figures under \"data\"), per summary and for the total")
    boolean json;

    @Override
    public Integer call() {
        var chosen = policies.apply(KernelOptions.DEFAULT);
        if (chosen.isLeft()) {
            System.err.println("pvm: " + chosen.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        KernelOptions options = chosen.get();
        if (hostFiles != null) {
            if (!Files.isDirectory(hostFiles)) {
                System.err.println("pvm: --files " + hostFiles + " is not a folder");
                return ExitStatus.BAD_INPUT;
            }
            options = options.withHostFiles(hostFiles);
        }
        return new ScenarioRunner(options).json(json).explain(explain).verifyEach(verifyEach).run(files, arch, keepGoing, quiet, System.out, System.err);
    }
}
