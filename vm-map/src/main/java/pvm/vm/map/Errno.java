package pvm.vm.map;

import pvm.hal.pmap.VmError;

/**
 * The errno values map.c returns on its internal paths: 0 for success, {@code -errno} for a failure,
 * with Phoenix's numbers ({@code include/errno.h}). Internal and hot paths pass these ints; the public
 * methods turn them into {@link VmError} values with {@link #toError}.
 */
public final class Errno {

    public static final int EOK = 0;
    public static final int ENOMEM = -12;
    public static final int EACCES = -13;
    public static final int EFAULT = -14;
    public static final int EBUSY = -16;
    public static final int EEXIST = -17;
    public static final int EINVAL = -22;
    public static final int ERANGE = -34;
    public static final int ENOSYS = -38;

    private Errno() {
    }

    /** The errno name of {@code code}: {@code "ENOMEM"} for -12; {@code "EOK"} for 0. */
    public static String name(int code) {
        return switch (code) {
            case EOK -> "EOK";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ERANGE -> "ERANGE";
            case ENOSYS -> "ENOSYS";
            default -> "errno " + (-code);
        };
    }

    /**
     * The {@link VmError} for a negative code, with {@code what} as its message. Codes with no
     * {@link VmError} of their own ({@code EEXIST}, {@code ERANGE}, unknown ones) become
     * {@code EINVAL}, naming the original errno in the message.
     *
     * @throws IllegalArgumentException for a code that is not negative: success is not an error
     */
    public static VmError toError(int code, String what) {
        return switch (code) {
            case ENOMEM -> VmError.enomem(what);
            case EACCES -> VmError.eacces(what);
            case EFAULT -> VmError.efault(what);
            case EBUSY -> VmError.ebusy(what);
            case EINVAL -> VmError.einval(what);
            case ENOSYS -> VmError.enosys(what);
            default -> {
                if (code >= 0) {
                    throw new IllegalArgumentException("not an error code: " + code);
                }
                yield VmError.einval(what + " (" + name(code) + ")");
            }
        };
    }
}
