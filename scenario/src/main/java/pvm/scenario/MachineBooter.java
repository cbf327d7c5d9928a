package pvm.scenario;

import io.vavr.control.Either;
import java.util.Map;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Sizes;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;

/** Boots the machine a {@code boot} statement describes, on one target, with the policies it names. */
public final class MachineBooter {

    private MachineBooter() {
    }

    /** The machine, or why it could not boot. */
    static Either<String, Machine> boot(Architecture arch, Statement.Boot boot) {
        return boot(arch, boot, KernelOptions.DEFAULT);
    }

    /** The machine booted with kernel {@code options}, or why it could not boot. */
    public static Either<String, Machine> boot(Architecture arch, Statement.Boot boot, KernelOptions options) {
        Either<String, Long> ram = boot.ram().map(e -> e.evaluate(arch.pageSize(), Map.of()).mapLeft(m -> "ram: " + m))
                .orElse(Either.right(arch.defaultRam()));
        Either<String, Long> cpus = boot.cpus().map(e -> e.evaluate(arch.pageSize(), Map.of()).mapLeft(m -> "cpus: " + m))
                .orElse(Either.right(1L));
        if (ram.isLeft()) {
            return Either.left(ram.getLeft());
        }
        if (cpus.isLeft()) {
            return Either.left(cpus.getLeft());
        }
        if (cpus.get() < 1 || cpus.get() > Integer.MAX_VALUE) {
            return Either.left("cpus=" + cpus.get() + " is out of range");
        }
        MachineConfig config;
        try {
            config = new MachineConfig(ram.get(), (int) (long) cpus.get());
        } catch (IllegalArgumentException e) {
            return Either.left(e.getMessage());
        }
        try {
            return Machine.boot(arch, config, options.withPolicies(boot.policies()), line -> { })
                    .mapLeft(e -> e.errno() + ": " + e.message());
        } catch (RuntimeException e) {
            return Either.left("the kernel threw " + e.getClass().getSimpleName() + " while booting: " + e.getMessage());
        }
    }

    /** {@code i686 with 16 MiB of RAM and 1 CPU}. */
    static String describe(Machine m) {
        int cpus = m.cpuCount();
        return String.format("%s with %s of RAM and %d CPU%s", m.architecture().name(),
                Sizes.human(m.hal().config().ramBytes()), cpus, cpus == 1 ? "" : "s");
    }
}
