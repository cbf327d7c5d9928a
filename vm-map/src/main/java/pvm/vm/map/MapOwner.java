package pvm.vm.map;

/**
 * The owner of a mapping: Phoenix's {@code process_t} as map.c sees it (the process on whose behalf
 * a mapping is made; {@code null} stands for the kernel). The map keeps it in each entry (no-MMU's
 * per-process entry list) and asks it one thing, whether it is lazy.
 *
 * <p>Phoenix's {@code process->lazy}: a lazy process gets its pages on first touch (demand paging),
 * so {@code _vm_mmap} maps no page and a fork remaps the parent's writable pages read-only; for
 * any other owner (the kernel, an owner that is not lazy) mappings are populated at once. Phoenix sets {@code lazy = 1} on no-MMU targets and {@code 0} with an MMU; the
 * kernel decides per process here.
 */
public interface MapOwner {

    /** {@code process->lazy}. */
    boolean lazy();

    /** Whether {@code owner} is a lazy owner: a {@link MapOwner} that says so. */
    static boolean isLazy(MapOwner owner) {
        return owner instanceof MapOwner o && o.lazy();
    }
}
