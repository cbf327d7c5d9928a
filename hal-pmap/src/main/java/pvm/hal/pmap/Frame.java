package pvm.hal.pmap;

/**
 * A handle on one entry of the {@link PageFrames} table: Phoenix's {@code page_t *}. The index is
 * the frame's position in the table, in address order, not its physical frame number (holes in
 * physical memory have no entry, as in Phoenix).
 *
 * @param index position in the page-frame table, or {@code -1} for {@link #NONE}
 */
public record Frame(int index) {

    /** Phoenix's {@code NULL} page. */
    public static final Frame NONE = new Frame(PageFrames.NONE);

    public boolean isNone() {
        return index == PageFrames.NONE;
    }
}
