package pvm.hal.pmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One behaviour where pvm may differ from Phoenix-RTOS, and the user chooses which: a name, the
 * values it takes (an enum's constants), pvm's default and Phoenix's own. The layer that owns the
 * behaviour declares its policy next to the enum; a machine is booted with {@link Policies} that say
 * which value each takes. {@code --phoenix} picks every policy's Phoenix value at once.
 *
 * <p>Values are written in lower case with dashes: {@code KEEP_ONE_EMPTY} is {@code keep-one-empty}.
 *
 * @param name what the user types before {@code =}
 * @param type the enum of the values
 * @param pvm the value a machine gets unless told otherwise
 * @param phoenix Phoenix-RTOS's behaviour
 * @param description one line for the help and the views
 */
public record Policy<E extends Enum<E>>(String name, Class<E> type, E pvm, E phoenix, String description) {

    public Policy {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a policy name is lower case letters, digits and dashes: " + name);
        }
    }

    /** The value written {@code text}, or null when this policy has no such value. */
    public E parse(String text) {
        for (E e : type.getEnumConstants()) {
            if (spelling(e).equals(text)) {
                return e;
            }
        }
        return null;
    }

    /** Every value, as the user writes them. */
    public List<String> spellings() {
        List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(spelling(e));
        }
        return out;
    }

    /** How the user writes {@code value}. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
