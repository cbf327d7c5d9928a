package pvm.vm.object;

import java.util.ArrayList;
import java.util.List;
import pvm.vm.kmalloc.Kmalloc;

/**
 * A machine booted as {@code _vm_init} does on the shared {@link pvm.testkit.FakeHal}: pmap, pages
 * and maps (the shared {@link pvm.testkit.Booted}), then zones, kmalloc, objects and amaps.
 */
final class Booted extends pvm.testkit.Booted {

    final Kmalloc kmalloc;
    final VmPager pager;

    private Booted(Kmalloc.Policy policy, BackingStore store) {
        super(DEFAULT_RAM);
        kmalloc = Kmalloc.init(maps, pages, console::add, policy);
        pager = VmPager.init(maps, pages, kmalloc, store, console::add);
    }

    static Booted boot(Kmalloc.Policy policy) {
        return new Booted(policy, BackingStore.NONE);
    }

    /** A machine whose objects come from {@code store}. */
    static Booted boot(BackingStore store) {
        return new Booted(Kmalloc.Policy.PHOENIX, store);
    }

    // public: it hides the shared Booted.boot(), and a hiding method may not narrow its access
    public static Booted boot() {
        return boot(Kmalloc.Policy.PHOENIX);
    }

    /**
     * Every layer's checker but the mapper's. After an eager (non-lazy) fork the parent's entries stay
     * marked {@code MAP_NEEDSCOPY} with their pages writable, as in Phoenix (the child took copies at
     * once, so nothing is shared); vm-map's checker reports those pages, so eager-fork tests use this.
     */
    List<String> verifyBelowAndAboveMaps() {
        List<String> out = new ArrayList<>();
        out.addAll(pages.verify());
        out.addAll(kmalloc.verify());
        out.addAll(pager.verify());
        return out;
    }

    /** Every layer's checker. */
    List<String> verify() {
        List<String> out = new ArrayList<>();
        out.addAll(pages.verify());
        out.addAll(maps.verify());
        out.addAll(kmalloc.verify());
        out.addAll(pager.verify());
        return out;
    }
}
