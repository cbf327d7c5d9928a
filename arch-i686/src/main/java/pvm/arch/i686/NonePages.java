package pvm.arch.i686;

import pvm.hal.pmap.Policy;

/**
 * What a PTE looks like for a page entered with no access rights (a {@code PROT_NONE} mapping).
 *
 * <p>ia32's {@code _pmap_enter} ORs {@code PGHD_PRESENT} into every entry it writes, whatever the
 * attributes say, so under Phoenix a page that was touched and then {@code mprotect}ed to
 * {@code PROT_NONE} stays present, readable by the user; x86 without PAE has no way to write a
 * present page that cannot be read. pvm writes such an entry not present, so the access faults as
 * POSIX says it must.
 */
public enum NonePages {

    /** The entry is written without its P bit: any access faults. pvm's default. */
    NOT_PRESENT,

    /** Phoenix's: P is always set, so the page stays readable. */
    PRESENT;

    /** {@code --policy protnone=not-present|present}. */
    public static final Policy<NonePages> POLICY = new Policy<>("protnone", NonePages.class, NOT_PRESENT, PRESENT,
            "i686: whether a page entered without rights is not present (faults) or present and readable, as ia32's _pmap_enter makes it");
}
