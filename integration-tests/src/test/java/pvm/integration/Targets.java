package pvm.integration;

import java.util.List;
import java.util.stream.Stream;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;

/** Every discovered architecture, as the source of parameterized per-target tests. */
final class Targets {

    private Targets() {
    }

    static Stream<Architecture> all() {
        List<Architecture> found = Architectures.discover();
        if (found.size() < 2) {
            throw new IllegalStateException("expected the i686 and nommu targets on the class path, found " + found);
        }
        return found.stream();
    }
}
