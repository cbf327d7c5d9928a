package pvm.hal.pmap;

/**
 * The in/out parameters of {@link Hal#getPage}: Phoenix passes a {@code page_t *} to fill and an
 * {@code addr_t *} cursor. One probe is reused for the whole discovery, so boot allocates nothing
 * per page.
 */
public final class PageProbe {

    /** Where to look next; advanced by every call, as Phoenix's {@code *addr}. */
    public long cursor;
    /** The discovered page's address, valid after {@link Hal#getPage} returned {@link Errno#EOK}. */
    public long pageAddr;
    /** The discovered page's {@link PageFlags}. */
    public int pageFlags;
}
