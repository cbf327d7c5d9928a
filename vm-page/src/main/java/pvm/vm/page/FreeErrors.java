package pvm.vm.page;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.VmError;

/** The {@link VmError} for a refused free: every refusal is an invalid argument. */
final class FreeErrors {

    private FreeErrors() {
    }

    static VmError of(int code, int frame, PageFrames frames) {
        if (code == Errno.EPAGE_BAD_FRAME) {
            return VmError.einval(String.format("page free: no frame %d (the table has %d)", frame, frames.count()));
        }
        return VmError.einval(String.format("page free: frame %d at 0x%08x: %s", frame, frames.addr(frame), Errno.describe(code)));
    }
}
