package dev.gymlink.env.random;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * numpy's default generator, {@code np.random.Generator(np.random.PCG64(SeedSequence(seed)))}, bit
 * for bit: the same seed gives the same {@link #nextLong()} words and the same
 * {@link #nextDouble()}, {@link #uniform} and {@link #integers} values as numpy, which is what
 * Gymnasium's {@code reset(seed=s)} and {@code space.seed(s)} draw from. The bounded draws of
 * {@link RandomGenerator} ({@code nextInt(bound)}, {@code nextLong(origin, bound)}...) are numpy's
 * {@code integers(origin, bound)}, so a space that samples through them draws what Gymnasium does.
 *
 * <p>PCG64 is a 128-bit linear congruential generator whose output is the XOR of the state's two
 * halves rotated right by the state's top six bits (XSL-RR). The state and increment come from
 * four 64-bit words of the seed sequence: {@code state = w0:w1}, {@code increment = w2:w3}
 * (high:low), set up as numpy's {@code pcg64_set_seed} does.
 *
 * <p>Not thread-safe, like numpy's generator.
 */
public final class NumpyRandom implements RandomGenerator {

    /** PCG's default 128-bit multiplier, high and low halves. */
    private static final long MULTIPLIER_HIGH = 2549297995355413924L;
    private static final long MULTIPLIER_LOW = 4865540595714422341L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final int ENTROPY_BITS = 128;
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private long stateHigh;
    private long stateLow;
    private final long incrementHigh;
    private final long incrementLow;
    /** numpy's PCG64 hands out a 64-bit word as two 32-bit draws, low half first. */
    private boolean hasHalfWord;
    private long halfWord;

    private NumpyRandom(SeedSequence seedSequence) {
        long[] words = seedSequence.generateState64(4);
        // pcg64_set_seed: inc = (initseq << 1) | 1; state = 0; step; state += initstate; step.
        incrementHigh = words[2] << 1 | words[3] >>> 63;
        incrementLow = words[3] << 1 | 1L;
        stateHigh = 0;
        stateLow = 0;
        advance();
        long low = stateLow + words[1];
        stateHigh = stateHigh + words[0] + (Long.compareUnsigned(low, stateLow) < 0 ? 1 : 0);
        stateLow = low;
        advance();
    }

    /** {@code np.random.default_rng(seed)}; the seed must be non-negative as in numpy. */
    public static NumpyRandom seeded(long seed) {
        return new NumpyRandom(new SeedSequence(seed));
    }

    /** {@code np.random.default_rng(seed)} for seeds beyond the range of {@code long}. */
    public static NumpyRandom seeded(BigInteger seed) {
        return new NumpyRandom(new SeedSequence(seed));
    }

    /** {@code np.random.default_rng()}: 128 bits of OS entropy, as numpy's SeedSequence(None) draws. */
    public static NumpyRandom fromEntropy() {
        return new NumpyRandom(new SeedSequence(new BigInteger(ENTROPY_BITS, new SecureRandom())));
    }

    /** The next 64-bit output, numpy's {@code bit_generator.random_raw()}. */
    @Override
    public long nextLong() {
        advance();
        int rotation = (int) (stateHigh >>> 58);
        return Long.rotateRight(stateHigh ^ stateLow, rotation);
    }

    /** numpy's {@code random()}: the top 53 bits of a word scaled to [0, 1). */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * numpy's {@code integers(low, high)} (int64, high exclusive): Lemire's bounded draw on a 32-bit
     * output when the range fits 32 bits, on a 64-bit output otherwise; a range of one draws nothing.
     */
    public long integers(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException("integers needs low < high, got low " + low + ", high " + high);
        }
        long range = high - 1 - low; // unsigned: the largest offset from low
        if (range == 0) {
            return low;
        }
        if (Long.compareUnsigned(range, UINT32_MAX) < 0) {
            return low + boundedHalfWord(range);
        }
        if (range == UINT32_MAX) {
            return low + nextHalfWord();
        }
        return low + (range == -1L ? nextLong() : boundedWord(range));
    }

    @Override
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    @Override
    public int nextInt(int origin, int bound) {
        return (int) nextLong(origin, bound);
    }

    @Override
    public long nextLong(long bound) {
        return nextLong(0, bound);
    }

    @Override
    public long nextLong(long origin, long bound) {
        return integers(origin, bound);
    }

    /** numpy's {@code buffered_bounded_lemire_uint32}: a uniform value in [0, range]. */
    private long boundedHalfWord(long range) {
        long exclusive = range + 1;
        long product = nextHalfWord() * exclusive;
        if ((product & UINT32_MAX) < exclusive) {
            long threshold = (UINT32_MAX - range) % exclusive;
            while ((product & UINT32_MAX) < threshold) {
                product = nextHalfWord() * exclusive;
            }
        }
        return product >>> 32;
    }

    /** numpy's {@code bounded_lemire_uint64}: a uniform value in [0, range], range unsigned. */
    private long boundedWord(long range) {
        long exclusive = range + 1;
        long word = nextLong();
        if (Long.compareUnsigned(word * exclusive, exclusive) < 0) {
            long threshold = Long.remainderUnsigned(-1L - range, exclusive);
            while (Long.compareUnsigned(word * exclusive, threshold) < 0) {
                word = nextLong();
            }
        }
        return unsignedMultiplyHigh(word, exclusive);
    }

    /** numpy's {@code next_uint32} for PCG64: the low half of a fresh word, then its high half. */
    private long nextHalfWord() {
        if (hasHalfWord) {
            hasHalfWord = false;
            return halfWord;
        }
        long word = nextLong();
        hasHalfWord = true;
        halfWord = word >>> 32;
        return word & UINT32_MAX;
    }

    /** numpy's {@code uniform(low, high)}: {@code low + (high - low) * random()}. */
    public double uniform(double low, double high) {
        double range = high - low;
        if (!Double.isFinite(range)) {
            throw new IllegalArgumentException("uniform range [" + low + ", " + high + ") exceeds valid bounds");
        }
        return low + range * nextDouble();
    }

    /** state = state * MULTIPLIER + increment, modulo 2^128. */
    private void advance() {
        long productLow = stateLow * MULTIPLIER_LOW;
        long productHigh = unsignedMultiplyHigh(stateLow, MULTIPLIER_LOW)
                + stateLow * MULTIPLIER_HIGH
                + stateHigh * MULTIPLIER_LOW;
        long sumLow = productLow + incrementLow;
        long carry = Long.compareUnsigned(sumLow, productLow) < 0 ? 1 : 0;
        stateHigh = productHigh + incrementHigh + carry;
        stateLow = sumLow;
    }

    /** Java 18's Math.unsignedMultiplyHigh, spelled out for Java 17. */
    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }
}
