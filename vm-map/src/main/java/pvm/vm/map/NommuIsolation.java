package pvm.vm.map;

import pvm.hal.pmap.Policy;

/**
 * Whose entries a process may unmap, reprotect or map over without an MMU, where every process's
 * entries lie in one shared map ({@link FlatMaps}).
 *
 * <p>Phoenix's {@code _vm_munmap} and {@code vm_mprotect} look at no entry's owner, so a process can
 * unmap or change another's memory, and a {@code MAP_FIXED} mapping (which unmaps first) can land on
 * it. pvm refuses by default: every entry of the range must be the caller's.
 */
public enum NommuIsolation {

    /** A process touches only its own entries: {@code EINVAL} for munmap and mprotect, and MAP_FIXED may not land on another's. */
    OWNER,

    /** Phoenix's: any entry of the shared map, whoever made it. */
    NONE;

    /** {@code --policy nommuisolation=owner|none}. */
    public static final Policy<NommuIsolation> POLICY = new Policy<>("nommuisolation", NommuIsolation.class, OWNER, NONE,
            "without an MMU, whether munmap, mprotect and MAP_FIXED may touch only the caller's entries (owner) or anyone's (none, Phoenix's)");
}
