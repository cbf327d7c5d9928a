package pvm.scenario;

import java.util.List;
import java.util.Optional;

/**
 * What a scenario's header statements say: which targets it runs on and how the machine boots.
 *
 * @param requires {@code requires mmu} or {@code requires nommu}
 * @param target {@code target NAME}
 * @param boot {@code boot [ram=SIZE] [cpus=N]}, with its line (for a boot failure's report)
 * @param lines the header statements in order
 */
public record Header(Optional<Requirement> requires, Optional<String> target, Optional<Line> boot, List<Line> lines) {

    public static final Header NONE = new Header(Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    public Header {
        lines = List.copyOf(lines);
    }

    /** The boot statement, or one that leaves everything at the target's default. */
    public Statement.Boot bootStatement() {
        return boot.map(l -> (Statement.Boot) l.statement())
                .orElse(Statement.Boot.DEFAULT);
    }

    /** Why a target cannot run this scenario, or empty when it can. */
    public Optional<String> skipReason(String targetName, boolean hasMmu) {
        if (requires.isPresent() && !requires.get().metBy(hasMmu)) {
            return Optional.of("requires " + requires.get().keyword() + "; " + targetName
                    + (hasMmu ? " has an MMU" : " has no MMU"));
        }
        if (target.isPresent() && !target.get().equals(targetName)) {
            return Optional.of("target " + target.get() + " only");
        }
        return Optional.empty();
    }
}
