package pvm.hal.pmap;

/**
 * What a machine is booted with.
 *
 * @param ramBytes bytes of RAM (the architecture lays them out in its banks)
 * @param cpus number of CPUs, at least 1
 */
public record MachineConfig(long ramBytes, int cpus) {

    public MachineConfig {
        if (ramBytes <= 0) {
            throw new IllegalArgumentException("RAM size must be positive");
        }
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("cpus must be 1..64, got " + cpus);
        }
    }
}
