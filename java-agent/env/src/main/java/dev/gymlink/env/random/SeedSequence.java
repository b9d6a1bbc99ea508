package dev.gymlink.env.random;

import java.math.BigInteger;
import java.util.Objects;

/**
 * numpy's {@code np.random.SeedSequence} without spawn keys: turns an arbitrary non-negative
 * integer into well-mixed 32-bit words for seeding a bit generator.
 *
 * <p>The entropy integer is split into 32-bit words (least significant first), hashed into a pool
 * of four words, every pool word is mixed with every other, and {@link #generateState} hashes the
 * pool out again. All arithmetic is on unsigned 32-bit words, which Java's {@code int} wrap-around
 * gives for free. The constants are numpy's (taken from Melissa O'Neill's seed_seq design).
 */
public final class SeedSequence {

    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    private final BigInteger entropy;
    private final int[] pool = new int[POOL_SIZE];

    /** A sequence seeded by {@code entropy}, which must not be negative (numpy rejects it too). */
    public SeedSequence(BigInteger entropy) {
        Objects.requireNonNull(entropy, "entropy");
        if (entropy.signum() < 0) {
            throw new IllegalArgumentException("SeedSequence entropy must be non-negative, got " + entropy);
        }
        this.entropy = entropy;
        mixEntropy(toWords(entropy));
    }

    public SeedSequence(long entropy) {
        this(BigInteger.valueOf(entropy));
    }

    /** The integer this sequence was made from. */
    public BigInteger entropy() {
        return entropy;
    }

    /** {@code generate_state(n, np.uint32)}. */
    public int[] generateState(int words) {
        if (words < 0) {
            throw new IllegalArgumentException("word count must not be negative, got " + words);
        }
        int[] state = new int[words];
        int hashConst = INIT_B;
        for (int i = 0; i < words; i++) {
            int value = pool[i % POOL_SIZE];
            value ^= hashConst;
            hashConst *= MULT_B;
            value *= hashConst;
            value ^= value >>> XSHIFT;
            state[i] = value;
        }
        return state;
    }

    /** {@code generate_state(n, np.uint64)}: pairs of 32-bit words read little-endian. */
    public long[] generateState64(int words) {
        int[] halves = generateState(Math.multiplyExact(words, 2));
        long[] state = new long[words];
        for (int i = 0; i < words; i++) {
            state[i] = Integer.toUnsignedLong(halves[2 * i]) | (long) halves[2 * i + 1] << 32;
        }
        return state;
    }

    /** numpy's {@code _int_to_uint32_array}: 0 is one zero word, otherwise as many words as needed. */
    private static int[] toWords(BigInteger value) {
        if (value.signum() == 0) {
            return new int[] {0};
        }
        int count = (value.bitLength() + 31) / 32;
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            words[i] = value.shiftRight(32 * i).intValue();
        }
        return words;
    }

    private void mixEntropy(int[] entropyWords) {
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = hashMix(i < entropyWords.length ? entropyWords[i] : 0, hashConst);
        }
        // Every word influences every other, so late entropy bits reach the early pool words.
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashMix(pool[src], hashConst));
                }
            }
        }
        for (int src = POOL_SIZE; src < entropyWords.length; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                pool[dst] = mix(pool[dst], hashMix(entropyWords[src], hashConst));
            }
        }
    }

    private static int hashMix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }
}
