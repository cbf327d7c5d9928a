package pvm.scenario;

import pvm.hal.pmap.Architecture;

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

    /**
     * Whether {@code target} meets this requirement. The scenario language's {@code requires} is one
     * of the two places above the HAL that ask a target whether it has an MMU (the other is the
     * kernel's composition root); every other layer behaves by the memory model installed.
     */
    public boolean metBy(Architecture target) {
        return metBy(target.hasMmu());
    }
}
