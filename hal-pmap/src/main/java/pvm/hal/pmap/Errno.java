package pvm.hal.pmap;

/**
 * The one error vocabulary of pvm as {@code int} codes: 0 for success, {@code -errno} for a failure,
 * with Phoenix's numbers ({@code include/errno.h}). Internal and hot paths pass these ints (map.c's
 * returns, {@code pmap_getPage}'s {@code EOK}/{@code -EINVAL}/{@code -ENOMEM}, a refused page free);
 * the public methods turn them into {@link VmError} values with {@link #toError}, and
 * {@link VmError#code()} goes back.
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
    public static final int ENOENT = -2;
    public static final int EIO = -5;

    // vm_pageFree's refusals. Phoenix has no code for them (it prints "page: double free" and
    // hangs, or corrupts its lists); pvm refuses and says why. Each is EINVAL at the API.
    /** The frame is already free. */
    public static final int EPAGE_DOUBLE_FREE = -1001;
    /** The frame lies inside an allocated block but is not its first frame. */
    public static final int EPAGE_NOT_HEAD = -1002;
    /** The frame was never handed out by the allocator (taken at boot, the page_t array, ...). */
    public static final int EPAGE_NOT_ALLOCATED = -1003;
    /** The frame index is outside the page-frame table. */
    public static final int EPAGE_BAD_FRAME = -1004;

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
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case EPAGE_DOUBLE_FREE, EPAGE_NOT_HEAD, EPAGE_NOT_ALLOCATED, EPAGE_BAD_FRAME -> "EINVAL (" + describe(code) + ")";
            default -> "errno " + (-code);
        };
    }

    /** What {@code code} means in words: {@code "double free"}, {@code "out of memory"}, ... */
    public static String describe(int code) {
        return switch (code) {
            case EOK -> "ok";
            case EPAGE_DOUBLE_FREE -> "double free";
            case EPAGE_NOT_HEAD -> "not the first frame of an allocated block";
            case EPAGE_NOT_ALLOCATED -> "never allocated";
            case EPAGE_BAD_FRAME -> "no such frame";
            default -> code < 0 ? name(code) : "error " + code;
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
            case ENOENT -> new VmError.ENOENT(what);
            case EIO -> new VmError.EIO(what);
            default -> {
                if (code >= 0) {
                    throw new IllegalArgumentException("not an error code: " + code);
                }
                yield VmError.einval(what + " (" + name(code) + ")");
            }
        };
    }
}
