package pvm.kernel;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Policy;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.object.ZeroPage;
import pvm.vm.page.Coalescing;

/**
 * Every policy a machine of one target can be booted with, in the order views list them: the
 * layers' own, bottom up, then its memory model's (no-MMU only), then the architecture's. The composition root is the one place that knows
 * them all; the command line and the scenario header look names up here.
 */
public final class PolicyCatalog {

    private PolicyCatalog() {
    }

    /** The policies of a machine of {@code architecture}. */
    public static List<Policy<?>> of(Architecture architecture) {
        List<Policy<?>> all = new ArrayList<>(List.of(Coalescing.POLICY, Kmalloc.ZONE_RELEASE, ZeroPage.POLICY, Paging.POLICY, Commit.POLICY));
        all.addAll(KernelModule.memoryModelPolicies(architecture));
        all.addAll(architecture.policies());
        return List.copyOf(all);
    }
}
