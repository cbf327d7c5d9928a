package pvm.vm.object;

import java.util.ArrayList;
import java.util.List;
import pvm.testkit.Booted;
import pvm.vm.kmalloc.Kmalloc;

/**
 * A machine booted as {@code _vm_init} does on the one fake HAL ({@link pvm.testkit.FakeHal}): pmap,
 * pages and maps (the one {@link Booted}), then the layers vm-testkit cannot know of: zones,
 * kmalloc, objects and amaps.
 */
final class BootedVm extends Booted {

    final Kmalloc kmalloc;
    final VmPager pager;

    private BootedVm(Kmalloc.Policy policy, BackingStore store) {
        super(DEFAULT_RAM);
        kmalloc = Kmalloc.init(maps, pages, console::add, policy);
        pager = VmPager.init(maps, pages, kmalloc, store, console::add);
    }

    static BootedVm init(Kmalloc.Policy policy) {
        return new BootedVm(policy, BackingStore.NONE);
    }

    /** A machine whose objects come from {@code store}. */
    static BootedVm init(BackingStore store) {
        return new BootedVm(Kmalloc.Policy.PHOENIX, store);
    }

    static BootedVm init() {
        return init(Kmalloc.Policy.PHOENIX);
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
