package pvm.hal.pmap;

/**
 * A failure of a public operation, named after the errno it models. Every fallible call at a layer's
 * API returns {@code Either<VmError, T>}; the structures are left as they were. The hot paths use
 * the same vocabulary as {@link Errno} ints ({@link #code()}, {@link Errno#toError}).
 */
public sealed interface VmError {

    /** What went wrong, in words a user reads. */
    String message();

    /** The errno name: {@code EINVAL}, {@code ENOMEM}, ... */
    default String errno() {
        return getClass().getSimpleName();
    }

    /** The {@link Errno} code of this error: {@code -EINVAL}, {@code -ENOMEM}, ... */
    default int code() {
        return switch (this) {
            case EINVAL e -> Errno.EINVAL;
            case ENOMEM e -> Errno.ENOMEM;
            case EACCES e -> Errno.EACCES;
            case EFAULT e -> Errno.EFAULT;
            case ENOSYS e -> Errno.ENOSYS;
            case EBUSY e -> Errno.EBUSY;
            case ENOENT e -> Errno.ENOENT;
            case EIO e -> Errno.EIO;
        };
    }

    static VmError einval(String message) {
        return new EINVAL(message);
    }

    static VmError enomem(String message) {
        return new ENOMEM(message);
    }

    static VmError eacces(String message) {
        return new EACCES(message);
    }

    static VmError efault(String message) {
        return new EFAULT(message);
    }

    static VmError enosys(String message) {
        return new ENOSYS(message);
    }

    static VmError ebusy(String message) {
        return new EBUSY(message);
    }

    /** Invalid argument. */
    record EINVAL(String message) implements VmError {
    }

    /** Out of memory, or (Phoenix's use) no such range. */
    record ENOMEM(String message) implements VmError {
    }

    /** Protection beyond what is permitted. */
    record EACCES(String message) implements VmError {
    }

    /** Bad address. */
    record EFAULT(String message) implements VmError {
    }

    /** Not implemented on this target. */
    record ENOSYS(String message) implements VmError {
    }

    /** Resource busy. */
    record EBUSY(String message) implements VmError {
    }

    /** No such file or object. */
    record ENOENT(String message) implements VmError {
    }

    /** The backing store failed to read ({@code proc_read}'s error, passed on as Linux's no-MMU {@code mmap} passes it). */
    record EIO(String message) implements VmError {
    }
}
