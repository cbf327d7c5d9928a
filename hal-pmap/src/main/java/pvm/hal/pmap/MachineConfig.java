package pvm.hal.pmap;

/**
 * What a machine is booted with.
 *
 * @param ramBytes bytes of RAM (the architecture lays them out in its banks)
 * @param cpus number of CPUs, at least 1
 * @param policies where the machine behaves as pvm does and where as Phoenix does; every layer,
 *     the architecture's included, reads its own policies from here at boot
 */
public record MachineConfig(long ramBytes, int cpus, Policies policies) {

    public MachineConfig {
        if (ramBytes <= 0) {
            throw new IllegalArgumentException("RAM size must be positive");
        }
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("cpus must be 1..64, got " + cpus);
        }
        if (policies == null) {
            throw new IllegalArgumentException("policies must not be null (Policies.DEFAULT is pvm's)");
        }
    }

    /** A machine with pvm's default policies. */
    public MachineConfig(long ramBytes, int cpus) {
        this(ramBytes, cpus, Policies.DEFAULT);
    }

    /** This configuration with other policies. */
    public MachineConfig withPolicies(Policies p) {
        return new MachineConfig(ramBytes, cpus, p);
    }
}
