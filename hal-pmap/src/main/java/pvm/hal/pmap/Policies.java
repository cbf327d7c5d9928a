package pvm.hal.pmap;

import io.vavr.control.Either;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy values a machine is booted with: for each {@link Policy} chosen by the user, its value;
 * every other policy takes pvm's default. Immutable; {@link #with} and {@link #phoenix} make new sets.
 * Read on the boot path only, never on a hot path: each layer is given its value at construction.
 */
public final class Policies {

    public static final Policies DEFAULT = new Policies(Map.of());

    // Keyed by policy name: the value chosen, an enum constant of that policy's type.
    private final Map<String, Enum<?>> chosen;

    private Policies(Map<String, Enum<?>> chosen) {
        this.chosen = Map.copyOf(chosen);
    }

    /** The value of {@code policy} in this set. */
    public <E extends Enum<E>> E get(Policy<E> policy) {
        Enum<?> v = chosen.get(policy.name());
        return v == null ? policy.pvm() : policy.type().cast(v);
    }

    /** This set with {@code policy} set to {@code value}. */
    public <E extends Enum<E>> Policies with(Policy<E> policy, E value) {
        Map<String, Enum<?>> m = new LinkedHashMap<>(chosen);
        m.put(policy.name(), value);
        return new Policies(m);
    }

    /** This set with every one of {@code known} set to Phoenix's value. */
    public Policies phoenix(List<Policy<?>> known) {
        Policies p = this;
        for (Policy<?> policy : known) {
            p = p.withPhoenix(policy);
        }
        return p;
    }

    private <E extends Enum<E>> Policies withPhoenix(Policy<E> policy) {
        return with(policy, policy.phoenix());
    }

    /**
     * This set with {@code NAME=VALUE} applied, the name looked up in {@code known}; or the line that
     * says what is wrong (an unknown name or value, listing the ones there are).
     */
    public Either<String, Policies> with(String assignment, List<Policy<?>> known) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            return Either.left("a policy is NAME=VALUE, got '" + assignment + "'");
        }
        String name = assignment.substring(0, eq);
        String value = assignment.substring(eq + 1);
        for (Policy<?> policy : known) {
            if (policy.name().equals(name)) {
                return withParsed(policy, value);
            }
        }
        return Either.left("no policy '" + name + "'; the policies are " + String.join(", ", known.stream().map(Policy::name).toList()));
    }

    private <E extends Enum<E>> Either<String, Policies> withParsed(Policy<E> policy, String text) {
        E value = policy.parse(text);
        if (value == null) {
            return Either.left("policy " + policy.name() + " is one of " + String.join(", ", policy.spellings()) + ", not '" + text + "'");
        }
        return Either.right(with(policy, value));
    }

    /** Whether no policy differs from pvm's default. */
    public boolean isDefault(List<Policy<?>> known) {
        for (Policy<?> policy : known) {
            if (get(policy) != policy.pvm()) {
                return false;
            }
        }
        return true;
    }

    /** {@code name=value} for each of {@code known}, in their order: what is in force. */
    public String describe(List<Policy<?>> known) {
        StringBuilder sb = new StringBuilder();
        for (Policy<?> policy : known) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(policy.name()).append('=').append(Policy.spelling(get(policy)));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policies p && p.chosen.equals(chosen);
    }

    @Override
    public int hashCode() {
        return chosen.hashCode();
    }

    @Override
    public String toString() {
        return "Policies" + chosen;
    }
}
