package pvm.integration.planted.cycle.b;

/** A planted package cycle, half two. */
public final class CycleB {
    public pvm.integration.planted.cycle.a.CycleA other;
}
