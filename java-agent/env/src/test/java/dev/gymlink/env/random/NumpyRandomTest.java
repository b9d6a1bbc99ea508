package dev.gymlink.env.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * NumpyRandom and SeedSequence against values printed by numpy 2.4 (the CartPole golden file checks
 * more seeds); e.g. {@code np.random.SeedSequence(0).generate_state(4)}.
 */
class NumpyRandomTest {

    @Test
    void seedSequenceStateMatchesNumpy() {
        // np.random.SeedSequence(0).generate_state(4)
        assertArrayEquals(new int[] {(int) 2968811710L, (int) 3677149159L, 745650761, (int) 2884920346L},
                new SeedSequence(0).generateState(4));
        // np.random.SeedSequence(2**100 + 3).generate_state(2, np.uint64): more than four entropy words
        // need the second mixing loop.
        assertArrayEquals(new long[] {Long.parseUnsignedLong("13402792051187635445"),
                Long.parseUnsignedLong("14821643781202224234")},
                new SeedSequence(BigInteger.TWO.pow(100).add(BigInteger.valueOf(3))).generateState64(2));
    }

    @Test
    void defaultRngMatchesNumpy() {
        // np.random.default_rng(42): random_raw() then random()
        NumpyRandom random = NumpyRandom.seeded(42);
        assertEquals(Long.parseUnsignedLong("14276969152011380360"), random.nextLong());
        assertEquals(0.4388784397520523, random.nextDouble());
        // np.random.default_rng(7).uniform(-0.05, 0.05)
        assertEquals(0.012509546660466692, NumpyRandom.seeded(7).uniform(-0.05, 0.05));
    }

    @Test
    void integersMatchNumpyOnEveryPathOfItsBoundedDraw() {
        // g = np.random.default_rng(3); then, in this order: five g.integers(0, 10), g.integers(-5, 2**40),
        // g.random(), g.integers(7), g.integers(-2**63, 2**63 - 1), g.integers(0, 2**32),
        // g.integers(0, 2**32 + 1), g.integers(5, 6), g.integers(0, 3)
        NumpyRandom random = NumpyRandom.seeded(3);
        long[] small = new long[5];
        for (int i = 0; i < small.length; i++) {
            small[i] = random.nextInt(10);
        }
        assertArrayEquals(new long[] {8, 0, 1, 2, 1}, small);
        assertEquals(640093927900L, random.integers(-5, 1L << 40)); // 64-bit Lemire
        assertEquals(0.09412864224039919, random.nextDouble()); // leaves the buffered 32-bit half alone
        assertEquals(5, random.nextLong(7));
        assertEquals(-1233590218883651322L, random.nextLong(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(2668153314L, random.integers(0, 1L << 32)); // a plain 32-bit draw
        assertEquals(686073414L, random.integers(0, (1L << 32) + 1));
        assertEquals(5, random.integers(5, 6)); // draws nothing
        assertEquals(1, random.nextInt(0, 3));
        assertThrows(IllegalArgumentException.class, () -> random.integers(2, 2));
        assertThrows(IllegalArgumentException.class, () -> random.nextInt(0));
    }

    @Test
    void negativeSeedsAreRejectedAsInNumpy() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> NumpyRandom.seeded(-1));
        assertTrue(error.getMessage().contains("-1"), error.getMessage());
    }

    @Test
    void entropySeedingDiffersEachTime() {
        assertNotEquals(NumpyRandom.fromEntropy().nextLong(), NumpyRandom.fromEntropy().nextLong());
    }

    @Test
    void uniformRejectsAnInfiniteRange() {
        NumpyRandom random = NumpyRandom.seeded(1);
        assertThrows(IllegalArgumentException.class, () -> random.uniform(-Double.MAX_VALUE, Double.MAX_VALUE));
    }
}
