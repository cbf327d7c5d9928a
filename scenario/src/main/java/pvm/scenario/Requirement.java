package pvm.scenario;

/** {@code requires mmu} or {@code requires nommu}: which targets a scenario runs on. */
public enum Requirement {
    MMU("mmu"),
    NOMMU("nommu");

    private final String keyword;

    Requirement(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** Whether a target with or without an MMU meets this requirement. */
    public boolean metBy(boolean hasMmu) {
        return hasMmu == (this == MMU);
    }
}
