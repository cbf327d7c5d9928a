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
            throw new IllegalStateException("expected at least the i686 and nommu targets on the class path, found " + found);
        }
        return found.stream();
    }

    /**
     * The targets this run is for: every discovered one, or the one named by the system property
     * {@code pvm.arch} ({@code bin/pvm test --arch NAME}).
     */
    /** {@link #selected()} as named arguments, so a parameterized test's name is its target's. */
    static Stream<org.junit.jupiter.api.Named<Architecture>> named() {
        return selected().map(a -> org.junit.jupiter.api.Named.of(a.name(), a));
    }

    static Stream<Architecture> selected() {
        String only = System.getProperty("pvm.arch", "").strip();
        if (only.isEmpty() || only.equals("all")) {
            return all();
        }
        List<Architecture> chosen = all().filter(a -> a.name().equals(only)).toList();
        if (chosen.isEmpty()) {
            throw new IllegalStateException("pvm.arch names no discovered target: " + only);
        }
        return chosen.stream();
    }
}
