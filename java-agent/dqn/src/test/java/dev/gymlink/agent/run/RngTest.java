package dev.gymlink.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void stateCapturesTheWholeStream() {
        Rng rng = new Rng(17);
        rng.nextDouble();
        Rng resumed = Rng.fromState(rng.state());
        for (int k = 0; k < 100; k++) {
            assertEquals(rng.nextLong(), resumed.nextLong());
        }
    }

    @Test
    void componentsDrawFromIndependentStreams() {
        RunRandomness a = RunRandomness.fromSeed(5);
        RunRandomness b = RunRandomness.fromSeed(5);
        // Extra draws in one component leave the others untouched.
        for (int k = 0; k < 1_000; k++) {
            a.exploration().nextDouble();
        }
        assertEquals(b.replay().nextLong(), a.replay().nextLong());
        assertEquals(b.envReset().nextLong(), a.envReset().nextLong());
        assertNotEquals(RunRandomness.fromSeed(5).exploration().nextLong(),
                RunRandomness.fromSeed(5).replay().nextLong());
        assertNotEquals(RunRandomness.fromSeed(5).networkInit().nextLong(),
                RunRandomness.fromSeed(6).networkInit().nextLong());
        RunRandomness restored = RunRandomness.fromStates(a.states());
        assertEquals(a.evaluation().nextLong(), restored.evaluation().nextLong());
    }

    @Test
    void envSeedsAreNonNegativeWithRoomForCopies() {
        Rng rng = new Rng(-3);
        for (int k = 0; k < 10_000; k++) {
            long seed = rng.nextEnvSeed();
            assertTrue(seed >= 0 && seed + 4096 < Integer.MAX_VALUE, "seed " + seed);
        }
    }
}
