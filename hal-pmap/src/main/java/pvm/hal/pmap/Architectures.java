package pvm.hal.pmap;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Architecture}s on the module path (or class path) with {@link ServiceLoader}. */
public final class Architectures {

    private Architectures() {
    }

    /** Every discovered architecture, sorted by name. */
    public static List<Architecture> discover() {
        return ServiceLoader.load(Architecture.class, Architectures.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(Architecture::name))
                .toList();
    }

    /** The architecture called {@code name}, or a message listing the ones there are. */
    public static io.vavr.control.Either<String, Architecture> named(String name) {
        List<Architecture> all = discover();
        return io.vavr.collection.List.ofAll(all).find(a -> a.name().equals(name))
                .toEither(() -> "unknown architecture '" + name + "'; known: " + String.join(", ", names(all))
                        + Spelling.didYouMean(name, names(all)));
    }

    private static List<String> names(List<Architecture> architectures) {
        return architectures.stream().map(Architecture::name).toList();
    }
}
