package pvm.bench;

/**
 * The xorshift64* generator every benchmark pattern draws from, with a fixed seed, so that the same
 * pattern can be replayed on Phoenix's C allocator and compared step for step.
 */
final class XorShift64Star {

    private long state;

    XorShift64Star(long seed) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    long next() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 0x2545F4914F6CDD1DL;
    }

    /** A value in {@code [0, bound)}. */
    int nextInt(int bound) {
        return (int) Long.remainderUnsigned(next(), bound);
    }
}
