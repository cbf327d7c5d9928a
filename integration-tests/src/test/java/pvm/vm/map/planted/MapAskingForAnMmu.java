package pvm.vm.map.planted;

import pvm.hal.pmap.Architecture;

/** A planted violation: the map layer branching on the MMU flag instead of its memory model. Test code only. */
public final class MapAskingForAnMmu {
    public boolean sharesMaps(Architecture target) {
        return !target.hasMmu();
    }
}
