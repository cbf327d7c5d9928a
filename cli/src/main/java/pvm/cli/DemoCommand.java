package pvm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Sizes;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;
import pvm.scenario.Session;

/**
 * {@code pvm demo}: the guided tour. It boots the default i686 machine, shows its page map, then
 * runs lessons from {@code examples/} one after the other on that one machine, printing each
 * lesson's explanation before its statements, and shows the page map again at the end.
 */
@Command(name = "demo", description = "A guided tour: lessons from examples/ on one i686 machine.")
final class DemoCommand implements Callable<Integer> {

    /** The lessons of the tour, in order; each is a file of examples/. */
    static final List<String> TOUR = List.of("01-demand-paging.pvm", "06-neighbour-merging.pvm",
            "02-copy-on-write.pvm", "08-page-tables-cost-memory.pvm", "07-leak-free-exit.pvm");

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Override
    public Integer call() throws IOException {
        var arch = Architectures.named(Main.DEFAULT_ARCH);
        if (arch.isLeft()) {
            System.err.println("pvm: " + arch.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        var options = policies.apply(KernelOptions.DEFAULT);
        if (options.isLeft()) {
            System.err.println("pvm: " + options.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        System.out.printf("Booting the default %s machine. In the page map every letter is one %s page:%n", arch.get().name(),
                Sizes.human(arch.get().pageSize()));
        System.out.println("  '.' free, K kernel, Y syspage, C cpu, P page table, S stack, H heap, B boot, A/U application;");
        System.out.println("  [Nc] is N pages marked c, [Nx] a hole of N pages in physical memory.");
        System.out.println();
        Machine machine = Machine.boot(arch.get(), new MachineConfig(arch.get().defaultRam(), 1), options.get(), line -> { })
                .getOrElseThrow(e -> new IllegalStateException(e.message()));
        machine.bootLog().forEach(System.out::println);
        Session session = Session.on(machine);
        boolean failed = false;
        for (String lesson : TOUR) {
            System.out.println();
            System.out.println("=== " + lesson + " " + "=".repeat(Math.max(3, 70 - lesson.length())));
            for (String line : read(lesson)) {
                if (line.startsWith("#")) {
                    System.out.println(line);
                } else if (!line.isBlank() && !isHeader(line)) {
                    session.execute(line).forEach(System.out::println);
                    failed |= session.lastFailed();
                }
            }
        }
        System.out.println();
        System.out.println("=== after the tour " + "=".repeat(58));
        machine.views().pages().forEach(System.out::println);
        MemoryViews.printSummary(machine, System.out);
        return failed ? ExitStatus.FAILED : ExitStatus.OK;
    }

    /** Header statements are for files; the tour's machine is booted already and has an MMU. */
    private static boolean isHeader(String line) {
        String t = line.strip();
        return t.startsWith("requires ") || t.startsWith("target ") || t.equals("boot") || t.startsWith("boot ");
    }

    private static List<String> read(String lesson) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("examples/" + lesson)) {
            if (in == null) {
                throw new IOException("the lesson " + lesson + " is missing from the command's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
