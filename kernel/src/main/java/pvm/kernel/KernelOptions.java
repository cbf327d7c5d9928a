package pvm.kernel;

/**
 * How the kernel runs processes.
 *
 * @param lazy Phoenix's {@code process->lazy}: demand paging and copy-on-write fork. Phoenix sets
 *     it only without an MMU (on ia32 mmap populates every page and fork copies every page at
 *     once); pvm makes it the default everywhere, because demand paging and copy-on-write are what
 *     the model is for, and keeps Phoenix's eager behaviour selectable (see docs/differences.md).
 * @param hostFiles a host directory whose files processes can map by name, or null
 */
public record KernelOptions(boolean lazy, java.nio.file.Path hostFiles) {

    public static final KernelOptions DEFAULT = new KernelOptions(true, null);

    /** Phoenix's own choice: eager on targets with an MMU. */
    public static final KernelOptions PHOENIX_EAGER = new KernelOptions(false, null);

    /** These options with the files of host directory {@code dir} mappable by name ({@code pvm run --files}). */
    public KernelOptions withHostFiles(java.nio.file.Path dir) {
        return new KernelOptions(lazy, dir);
    }
}
