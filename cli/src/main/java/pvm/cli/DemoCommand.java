package pvm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import pvm.hal.pmap.Architectures;
import pvm.kernel.Machine;

/**
 * {@code pvm demo}: the main job. Until the scenario runner arrives it boots the default i686
 * machine and shows its memory: the boot lines Phoenix prints, the page map, the free lists.
 */
@Command(name = "demo", description = "Boot the default i686 machine and show its memory.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        var arch = Architectures.named("i686");
        if (arch.isLeft()) {
            System.err.println("pvm: " + arch.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        System.out.println("Booting the default i686 machine. Every letter of the page map is one 4 KiB page:");
        System.out.println("'.' free, K kernel, Y syspage, C cpu, P page table, S stack, H heap, B boot; [Nc] is N pages of c, [Nx] a hole.");
        System.out.println();
        Machine machine = Machine.bootDefault(arch.get());
        machine.bootLog().forEach(System.out::println);
        MemoryViews.printSummary(machine, System.out);
        return ExitStatus.OK;
    }
}
