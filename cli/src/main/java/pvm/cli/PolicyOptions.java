package pvm.cli;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.kernel.KernelOptions;
import pvm.kernel.PolicyChoice;

/**
 * {@code --phoenix} and {@code --policy NAME=VALUE}: where a booted machine behaves as pvm does and
 * where as Phoenix-RTOS does. Every command that boots a machine takes them; a scenario's
 * {@code boot} line may add its own after them. docs/differences.md lists every policy.
 */
final class PolicyOptions {

    @Option(names = "--phoenix", description = "boot with Phoenix-RTOS's behaviour wherever pvm differs (every policy at its Phoenix value)")
    boolean phoenix;

    @Option(names = "--policy", paramLabel = "NAME=VALUE",
            description = "set one policy, e.g. coalescing=phoenix (repeatable; later ones win; see docs/differences.md)")
    List<String> policies = new ArrayList<>();

    /** The choice, or the line that says which option names no policy or no value of one. */
    Either<String, PolicyChoice> choice() {
        for (String p : policies) {
            Optional<String> wrong = PolicyChoice.check(p);
            if (wrong.isPresent()) {
                return Either.left("bad --policy " + p + ": " + wrong.get());
            }
        }
        return Either.right(new PolicyChoice(phoenix, policies));
    }

    /** {@code options} with these choices, or what is wrong with them. */
    Either<String, KernelOptions> apply(KernelOptions options) {
        return choice().map(options::withPolicies);
    }

    /** The target a command runs on and the kernel options it boots with. */
    record Chosen(Architecture architecture, KernelOptions options) {
    }

    /**
     * The target called {@code arch} and the default kernel options with these choices: what every
     * command that boots one machine starts from; or the one line that says which is wrong.
     */
    Either<String, Chosen> withTarget(String arch) {
        return Architectures.named(arch).flatMap(a -> apply(KernelOptions.DEFAULT).map(o -> new Chosen(a, o)));
    }
}
