package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Policies;
import pvm.hal.pmap.Policy;

/**
 * What the user asked for, before a target is known: Phoenix's behaviour everywhere
 * ({@code --phoenix}, {@code boot phoenix}) and single {@code NAME=VALUE} choices, applied in
 * order, so {@code --phoenix --policy zones=keep-one-empty} is Phoenix but for the zones.
 * {@link #resolve} turns it into one target's {@link Policies}; a choice for a policy another target
 * has (an architecture's own) is left out on targets without it.
 *
 * @param phoenix every policy at Phoenix's value first
 * @param assignments {@code NAME=VALUE} words, later ones winning
 */
public record PolicyChoice(boolean phoenix, List<String> assignments) {

    public static final PolicyChoice NONE = new PolicyChoice(false, List.of());

    public PolicyChoice {
        assignments = List.copyOf(assignments);
    }

    /** This choice followed by {@code later}: Phoenix if either says so, then both lists of choices, {@code later}'s last. */
    public PolicyChoice then(PolicyChoice later) {
        List<String> all = new ArrayList<>(assignments);
        all.addAll(later.assignments);
        return new PolicyChoice(phoenix || later.phoenix, all);
    }

    public boolean isEmpty() {
        return !phoenix && assignments.isEmpty();
    }

    /** The policies of a machine of {@code arch}, or the line that says which choice is wrong. */
    public Either<String, Policies> resolve(Architecture arch) {
        return resolve(arch, Policies.DEFAULT);
    }

    /** {@code base} with these choices applied for a machine of {@code arch}, or what is wrong. */
    public Either<String, Policies> resolve(Architecture arch, Policies base) {
        List<Policy<?>> catalog = PolicyCatalog.of(arch);
        Policies p = phoenix ? base.phoenix(catalog) : base;
        for (String a : assignments) {
            Either<String, Policies> next = p.with(a, catalog);
            if (next.isLeft()) {
                if (knownElsewhere(a, catalog)) {
                    continue;
                }
                return next;
            }
            p = next.get();
        }
        return Either.right(p);
    }

    /**
     * Whether {@code NAME=VALUE} is right for some discovered target: a policy of another
     * architecture, which this target leaves out, with a value that policy takes.
     */
    private static boolean knownElsewhere(String assignment, List<Policy<?>> catalog) {
        int eq = assignment.indexOf('=');
        String name = eq < 0 ? assignment : assignment.substring(0, eq);
        if (catalog.stream().anyMatch(p -> p.name().equals(name))) {
            return false;
        }
        return check(assignment).isEmpty();
    }

    /** The names of every discovered target's policies, comma-separated, in catalog order. */
    public static String knownNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (Architecture arch : Architectures.discover()) {
            PolicyCatalog.of(arch).forEach(p -> names.add(p.name()));
        }
        return String.join(", ", names);
    }

    /** Whether some discovered target has a policy called {@code name}. */
    public static boolean isKnown(String name) {
        for (Architecture arch : Architectures.discover()) {
            if (PolicyCatalog.of(arch).stream().anyMatch(p -> p.name().equals(name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks {@code NAME=VALUE} against every discovered target's policies: empty when some target
     * takes it, else what is wrong. The scenario parser uses this to report a bad choice by line
     * and column before anything boots.
     */
    public static java.util.Optional<String> check(String assignment) {
        String why = null;
        for (Architecture arch : Architectures.discover()) {
            Either<String, Policies> r = Policies.DEFAULT.with(assignment, PolicyCatalog.of(arch));
            if (r.isRight()) {
                return java.util.Optional.empty();
            }
            if (why == null || !r.getLeft().startsWith("no policy")) {
                why = r.getLeft();
            }
        }
        return java.util.Optional.of(why == null ? "no target is discovered to take policy " + assignment : why);
    }
}
