package pvm.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** The one line pvm prints when it cannot write where it was told to, instead of a stack trace. */
final class CannotWrite {

    private CannotWrite() {
    }

    /** {@code pvm: cannot write into DIR: REASON}, the reason in words. */
    static String message(Path dir, IOException e) {
        String reason = switch (e) {
            case FileAlreadyExistsException f -> f.getFile() + " exists and is not a folder";
            case AccessDeniedException a -> "permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return "pvm: cannot write into " + dir + ": " + reason;
    }
}
