package pvm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Sizes;
import pvm.scenario.Requirement;

/** {@code pvm archs}: the architectures found on the module path. */
@Command(name = "archs", mixinStandardHelpOptions = true, description = "List the target architectures that were discovered.")
final class ArchsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-8s %-9s %-4s %-12s %s%n", "NAME", "PAGE", "MMU", "DEFAULT RAM", "DESCRIPTION");
        for (Architecture a : Architectures.discover()) {
            System.out.printf("%-8s %-9s %-4s %-12s %s%n", a.name(), a.pageSize() + " B", Requirement.MMU.metBy(a) ? "yes" : "no",
                    Sizes.human(a.defaultRam()), a.description());
        }
        return ExitStatus.OK;
    }
}
