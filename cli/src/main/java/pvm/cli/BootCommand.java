package pvm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;

/** {@code pvm boot}: boots a machine and shows what the kernel printed and how memory stands. */
@Command(name = "boot", mixinStandardHelpOptions = true, description = "Boot a machine and show its boot log and memory.")
final class BootCommand implements Callable<Integer> {

    @Mixin
    MachineOptions machine = new MachineOptions();

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Option(names = "--json", description = "print the boot log, memory, free blocks and checker verdict as one JSON object")
    boolean json;

    @Override
    public Integer call() {
        var options = policies.apply(KernelOptions.DEFAULT);
        if (options.isLeft()) {
            System.err.println("pvm: " + options.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        return machine.resolve().fold(error -> {
            System.err.println("pvm: " + error);
            return ExitStatus.BAD_INPUT;
        }, target -> Machine.boot(target.architecture(), target.config(), options.get(), json ? line -> { } : System.out::println).fold(error -> {
            System.err.println("pvm: " + error.message());
            return ExitStatus.BAD_INPUT;
        }, booted -> {
            if (json) {
                System.out.println(MemoryViews.json(booted));
            } else {
                MemoryViews.printSummary(booted, System.out);
            }
            return ExitStatus.OK;
        }));
    }
}
