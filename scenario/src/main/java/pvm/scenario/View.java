package pvm.scenario;

import java.util.Optional;

/** What {@code show WHAT} prints. */
public enum View {
    /** The page map, one marker letter per page. */
    PAGES("pages"),
    /** The meminfo summary. */
    MEM("mem"),
    /** The map entries of a process, or of the kernel map. */
    MAP("map"),
    /** Free blocks per order. */
    BUDDY("buddy"),
    /** The kmalloc zones. */
    KMALLOC("kmalloc"),
    /** The memory objects. */
    OBJECTS("objects"),
    /** The MMU walk of an address ({@code show walk ADDR [P]}). */
    WALK("walk"),
    /** The processes alive, with their pids and how they came to be. */
    PROCESSES("processes"),
    /** The scenario's variables and their values. */
    VARS("vars"),
    /** SerenityOS's address-space figures of a process ({@code show stats P}). */
    STATS("stats");

    private final String keyword;

    View(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<View> named(String word) {
        for (View v : values()) {
            if (v.keyword.equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
