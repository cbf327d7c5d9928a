package pvm.integration.planted.cycle.a;

/** A planted package cycle, half one. */
public final class CycleA {
    public pvm.integration.planted.cycle.b.CycleB other;
}
