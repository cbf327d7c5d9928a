package pvm.cli;

import io.vavr.control.Either;
import picocli.CommandLine.Option;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Sizes;

/** The options that pick a machine: {@code --arch}, {@code --ram}, {@code --cpus}. */
final class MachineOptions {

    @Option(names = "--arch", defaultValue = Main.DEFAULT_ARCH, description = "target architecture (default: ${DEFAULT-VALUE}; see 'pvm archs')")
    String arch;

    @Option(names = "--ram", description = "RAM size, e.g. 128M or 4G (default: the target's)")
    String ram;

    @Option(names = "--cpus", defaultValue = "1", description = "number of CPUs (default: ${DEFAULT-VALUE})")
    int cpus;

    /** The architecture and configuration, or the one line that says what is wrong. */
    Either<String, Target> resolve() {
        return Architectures.named(arch).flatMap(a -> {
            long bytes;
            try {
                bytes = ram == null ? a.defaultRam() : Sizes.parse(ram);
            } catch (NumberFormatException e) {
                return Either.left("bad --ram: " + e.getMessage());
            }
            if (cpus < 1 || cpus > 64) {
                return Either.left("bad --cpus: expected 1 to 64, got " + cpus);
            }
            if (bytes <= 0) {
                return Either.left("bad --ram: the size must be positive");
            }
            return a.validate(new MachineConfig(bytes, cpus)).mapLeft(e -> "bad --ram: " + e.message()).map(c -> new Target(a, c));
        });
    }

    record Target(Architecture architecture, MachineConfig config) {
    }
}
