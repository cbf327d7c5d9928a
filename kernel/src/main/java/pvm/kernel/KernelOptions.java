package pvm.kernel;

/**
 * What the kernel is given besides the machine's size.
 *
 * @param hostFiles a host directory whose files processes can map by name, or null
 * @param policies the user's policy choices ({@code --phoenix}, {@code --policy}), applied on top of
 *     the configuration's when a machine boots
 */
public record KernelOptions(java.nio.file.Path hostFiles, PolicyChoice policies) {

    public static final KernelOptions DEFAULT = new KernelOptions(null, PolicyChoice.NONE);

    /** These options with the files of host directory {@code dir} mappable by name ({@code pvm run --files}). */
    public KernelOptions withHostFiles(java.nio.file.Path dir) {
        return new KernelOptions(dir, policies);
    }

    /** These options with {@code more} choices after the ones they have. */
    public KernelOptions withPolicies(PolicyChoice more) {
        return new KernelOptions(hostFiles, policies.then(more));
    }
}
