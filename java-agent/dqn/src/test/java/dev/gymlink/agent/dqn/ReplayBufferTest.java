package dev.gymlink.agent.dqn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.run.Rng;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    /** Stores transition {@code k} as s = [k, -k], a = k % 3, r = k / 10, s' = [k + 1, -k - 1]. */
    private static void add(ReplayBuffer buffer, int k, boolean terminated, boolean truncated) {
        buffer.add(new float[] {9, k, -k}, 1, k % 3, k / 10f, new float[] {k + 1, -k - 1}, 0, terminated, truncated);
    }

    @Test
    void overwritesTheOldestWhenFullAndKeepsBothEndFlags() {
        ReplayBuffer buffer = new ReplayBuffer(4, 2);
        for (int k = 0; k < 6; k++) {
            add(buffer, k, k == 4, k == 5);
        }
        assertEquals(4, buffer.size());
        ReplayBuffer.Batch batch = new ReplayBuffer.Batch(4, 2);
        buffer.gather(new int[] {0, 1, 2, 3}, 4, batch);
        // Slots 0 and 1 now hold transitions 4 and 5; slots 2 and 3 still 2 and 3.
        assertArrayEquals(new float[] {4, -4, 5, -5, 2, -2, 3, -3}, batch.observations);
        assertArrayEquals(new float[] {5, -5, 6, -6, 3, -3, 4, -4}, batch.nextObservations);
        assertArrayEquals(new int[] {1, 2, 2, 0}, batch.actions);
        assertArrayEquals(new boolean[] {true, false, false, false}, batch.terminated);
        assertArrayEquals(new boolean[] {false, true, false, false}, batch.truncated);
    }

    @Test
    void seededSamplingRepeatsAndCoversTheBuffer() {
        ReplayBuffer buffer = new ReplayBuffer(100, 2);
        for (int k = 0; k < 50; k++) {
            add(buffer, k, false, false);
        }
        int[] first = new int[1000];
        int[] second = new int[1000];
        buffer.sampleIndices(new Rng(3), first, 1000);
        buffer.sampleIndices(new Rng(3), second, 1000);
        assertArrayEquals(first, second);
        Set<Integer> seen = new HashSet<>();
        for (int index : first) {
            assertTrue(index >= 0 && index < 50, "index " + index + " outside the 50 stored");
            seen.add(index);
        }
        assertEquals(50, seen.size(), "1000 uniform draws from 50 slots hit every slot");
    }

    @Test
    void distinctSamplingNeverRepeatsAndIsUniform() {
        ReplayBuffer buffer = new ReplayBuffer(10, 2);
        for (int k = 0; k < 10; k++) {
            add(buffer, k, false, false);
        }
        Rng rng = new Rng(4);
        int[] counts = new int[10];
        int[] firstPosition = new int[10];
        int[] indices = new int[4];
        int rounds = 20_000;
        for (int round = 0; round < rounds; round++) {
            buffer.sampleDistinctIndices(rng, indices, 4);
            Set<Integer> distinct = new HashSet<>();
            for (int index : indices) {
                assertTrue(distinct.add(index), "repeated index " + index);
                counts[index]++;
            }
            firstPosition[indices[0]]++;
        }
        for (int slot = 0; slot < 10; slot++) {
            assertEquals(rounds * 0.4, counts[slot], rounds * 0.03, "inclusion of slot " + slot);
            assertEquals(rounds * 0.1, firstPosition[slot], rounds * 0.02, "first position of slot " + slot);
        }
    }

    @Test
    void samplingMoreDistinctThanStoredOrFromNothingFails() {
        ReplayBuffer buffer = new ReplayBuffer(10, 2);
        add(buffer, 0, false, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> buffer.sampleDistinctIndices(new Rng(1), new int[2], 2));
        assertEquals("cannot sample 2 distinct transitions from 1 stored", e.getMessage());
        IllegalStateException empty = assertThrows(IllegalStateException.class,
                () -> new ReplayBuffer(10, 2).sampleIndices(new Rng(1), new int[1], 1));
        assertEquals("cannot sample from an empty replay buffer", empty.getMessage());
    }

    @Test
    void contentsRestoreIntoAFreshBuffer() {
        ReplayBuffer buffer = new ReplayBuffer(8, 2);
        for (int k = 0; k < 11; k++) {
            add(buffer, k, k % 4 == 0, k % 5 == 0);
        }
        ReplayBuffer copy = new ReplayBuffer(8, 2);
        copy.restore(buffer.contents());
        assertEquals(buffer.contents(), copy.contents());
        add(buffer, 11, false, false);
        add(copy, 11, false, false);
        assertEquals(buffer.contents(), copy.contents(), "continues writing at the same slot");
        assertFalse(buffer.contents().equals(new ReplayBuffer(8, 2).contents()));
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(9, 2).restore(buffer.contents()));
    }
}
