package pvm.scenario;

/**
 * Whether an {@code mmap} said {@code private}, {@code shared} or neither. Phoenix encodes
 * {@code MAP_PRIVATE} and {@code MAP_SHARED} both as 0, so the flags word cannot carry this; the
 * interpreter passes it to the kernel as {@link Scenario#MAP_SHARED_BIT}.
 */
public enum Sharing {
    UNSPECIFIED,
    PRIVATE,
    SHARED
}
