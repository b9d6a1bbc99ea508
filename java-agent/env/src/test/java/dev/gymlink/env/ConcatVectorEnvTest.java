package dev.gymlink.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.cartpole.CartPole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConcatVectorEnvTest {

    /**
     * Copies count up by their action from their seed (or 0) and end 10 or more above it; a fake with
     * an obvious, checkable state, standing in for a remote vector env per server.
     */
    static class CountingVectorEnv implements VectorEnv {
        final String id;
        final long[] counters;
        final long[] starts;
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        int steps;
        boolean closed;

        CountingVectorEnv(String id, int copies) {
            this.id = id;
            this.counters = new long[copies];
            this.starts = new long[copies];
        }

        @Override
        public int numEnvs() {
            return counters.length;
        }

        @Override
        public EnvSpec spec() {
            return new EnvSpec(id, OptionalInt.empty(), OptionalDouble.empty(), false, "test", "test");
        }

        @Override
        public Space singleObservationSpace() {
            return new Discrete(1_000);
        }

        @Override
        public Space singleActionSpace() {
            return new Discrete(3);
        }

        @Override
        public VectorResetResult reset(OptionalLong seed, Map<String, Object> options) {
            threads.add(Thread.currentThread().getName());
            Object[] observations = new Object[counters.length];
            for (int i = 0; i < counters.length; i++) {
                starts[i] = seed.isPresent() ? seed.getAsLong() + i : 0;
                counters[i] = starts[i];
                observations[i] = counters[i];
            }
            return new VectorResetResult(observations, Collections.nCopies(counters.length, Map.of()));
        }

        @Override
        public VectorStepResult step(Object[] actions) {
            threads.add(Thread.currentThread().getName());
            steps++;
            int n = counters.length;
            Object[] observations = new Object[n];
            Object[] finals = new Object[n];
            boolean[] terminated = new boolean[n];
            double[] rewards = new double[n];
            for (int i = 0; i < n; i++) {
                counters[i] += ((Number) actions[i]).longValue();
                rewards[i] = counters[i];
                if (counters[i] - starts[i] >= 10) {
                    terminated[i] = true;
                    finals[i] = counters[i];
                    counters[i] = starts[i];
                }
                observations[i] = counters[i];
            }
            return new VectorStepResult(observations, rewards, terminated, new boolean[n], finals,
                    Collections.nCopies(n, Map.of()), Collections.nCopies(n, Map.of()));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void copiesAreNumberedAcrossPartsAndSeededLikeOneVectorEnv() throws Exception {
        CountingVectorEnv a = new CountingVectorEnv("Count-v0", 2);
        CountingVectorEnv b = new CountingVectorEnv("Count-v0", 3);
        try (ConcatVectorEnv env = new ConcatVectorEnv(List.of(a, b))) {
            assertEquals(5, env.numEnvs());
            VectorResetResult reset = env.reset(100);
            assertArrayEquals(new Object[] {100L, 101L, 102L, 103L, 104L}, reset.observations());

            VectorStepResult step = env.step(new Object[] {0L, 1L, 2L, 0L, 1L});
            assertArrayEquals(new Object[] {100L, 102L, 104L, 103L, 105L}, step.observations());
            assertArrayEquals(new long[] {100, 102}, a.counters, "the first part got the first two actions");
            assertArrayEquals(new long[] {104, 103, 105}, b.counters, "the second part got the rest");
            assertArrayEquals(new double[] {100, 102, 104, 103, 105}, step.rewards());
        }
        assertTrue(a.closed && b.closed, "closing the whole closes every part");
    }

    @Test
    void twoCartPoleHalvesStepExactlyLikeOneVectorOfFour() throws Exception {
        try (VectorEnv whole = SyncVectorEnv.create(4, i -> new CartPole());
                VectorEnv halves = new ConcatVectorEnv(List.of(
                        SyncVectorEnv.create(2, i -> new CartPole()), SyncVectorEnv.create(2, i -> new CartPole())))) {
            assertArrayEquals(whole.reset(42).observations(), halves.reset(42).observations());
            SplittableRandom random = new SplittableRandom(7);
            int ends = 0;
            for (int t = 0; t < 300; t++) {
                Object[] actions = new Object[4];
                for (int i = 0; i < 4; i++) {
                    actions[i] = (long) random.nextInt(2);
                }
                VectorStepResult expected = whole.step(actions);
                VectorStepResult actual = halves.step(actions);
                assertArrayEquals(expected.observations(), actual.observations(), "step " + t);
                assertArrayEquals(expected.finalObservations(), actual.finalObservations(), "step " + t);
                assertArrayEquals(expected.rewards(), actual.rewards());
                assertArrayEquals(expected.terminated(), actual.terminated());
                assertArrayEquals(expected.truncated(), actual.truncated());
                for (int i = 0; i < 4; i++) {
                    ends += expected.done(i) ? 1 : 0;
                }
            }
            assertTrue(ends > 10, "random play ends many episodes, so autoreset was compared too: " + ends);
        }
    }

    @Test
    void anEndedCopyCarriesItsFinalObservationAtItsGlobalIndex() throws Exception {
        CountingVectorEnv a = new CountingVectorEnv("Count-v0", 1);
        CountingVectorEnv b = new CountingVectorEnv("Count-v0", 2);
        try (ConcatVectorEnv env = new ConcatVectorEnv(List.of(a, b))) {
            env.reset(0);
            VectorStepResult step = null;
            for (int i = 0; i < 5; i++) {
                step = env.step(new Object[] {0L, 0L, 2L});
            }
            assertEquals(List.of(false, false, true), List.of(step.done(0), step.done(1), step.done(2)));
            assertTrue(step.terminated()[2]);
            assertEquals(12L, step.finalObservations()[2], "the last observation of copy 2 (seeded 0 + 2)");
            assertEquals(2L, step.observations()[2], "copy 2 is already reset to its start");
            assertEquals(12.0, step.rewards()[2]);
            assertNull(step.finalObservations()[0]);
        }
    }

    @Test
    void aBadActionMovesNoCopyOfAnyPart() throws Exception {
        CountingVectorEnv a = new CountingVectorEnv("Count-v0", 2);
        CountingVectorEnv b = new CountingVectorEnv("Count-v0", 2);
        try (ConcatVectorEnv env = new ConcatVectorEnv(List.of(a, b))) {
            env.reset(0);
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                    () -> env.step(new Object[] {1L, 1L, 1L, 7L}));
            assertTrue(error.getMessage().contains("copy 3"), error.getMessage());
            assertTrue(error.getMessage().contains("Discrete(3)"), error.getMessage());
            assertEquals(0, a.steps + b.steps);
            assertThrows(InvalidArgumentException.class, () -> env.step(new Object[] {1L}));
        }
    }

    @Test
    void partsStepOnTheirOwnThreads() throws Exception {
        CountingVectorEnv a = new CountingVectorEnv("Count-v0", 1);
        CountingVectorEnv b = new CountingVectorEnv("Count-v0", 1);
        try (ConcatVectorEnv env = new ConcatVectorEnv(List.of(a, b))) {
            env.reset(0);
            env.step(new Object[] {1L, 1L});
        }
        assertTrue(a.threads.get(0).startsWith("gymlink-concat-"), a.threads.toString());
        assertNotEquals(Thread.currentThread().getName(), b.threads.get(1));
    }

    @Test
    void aFailingPartFailsTheStepWithItsOwnException() throws Exception {
        CountingVectorEnv a = new CountingVectorEnv("Count-v0", 1);
        VectorEnv broken = new CountingVectorEnv("Count-v0", 1) {
            @Override
            public VectorStepResult step(Object[] actions) {
                throw new IllegalStateException("server went away");
            }
        };
        try (ConcatVectorEnv env = new ConcatVectorEnv(List.of(a, broken))) {
            env.reset(0);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> env.step(new Object[] {1L, 1L}));
            assertEquals("server went away", error.getMessage());
        }
    }

    @Test
    void partsOfDifferentEnvsAreRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new ConcatVectorEnv(
                List.of(new CountingVectorEnv("Count-v0", 1), new CountingVectorEnv("Other-v0", 1))));
        assertTrue(error.getMessage().contains("Other-v0"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConcatVectorEnv(List.of()));
    }

    @Test
    void nextStepHalvesStepExactlyLikeOneNextStepVectorOfFour() throws Exception {
        try (VectorEnv whole = SyncVectorEnv.create(4, AutoresetMode.NEXT_STEP, i -> new CartPole());
                VectorEnv halves = new ConcatVectorEnv(List.of(
                        SyncVectorEnv.create(2, AutoresetMode.NEXT_STEP, i -> new CartPole()),
                        SyncVectorEnv.create(2, AutoresetMode.NEXT_STEP, i -> new CartPole())))) {
            assertEquals(AutoresetMode.NEXT_STEP, halves.autoresetMode());
            halves.reset(42);
            whole.reset(42);
            SplittableRandom random = new SplittableRandom(8);
            for (int t = 0; t < 200; t++) {
                int[] actions = random.ints(4, 0, 2).toArray();
                VectorStepResult expected = whole.step(actions);
                VectorStepResult actual = halves.step(actions);
                assertEquals(AutoresetMode.NEXT_STEP, actual.autoresetMode());
                assertArrayEquals(expected.observations(), actual.observations(), "step " + t);
                assertArrayEquals(expected.rewards(), actual.rewards(), "step " + t);
                assertArrayEquals(expected.terminated(), actual.terminated(), "step " + t);
            }
        }
    }

    @Test
    void partsWithDifferentAutoresetModesAreRefused() throws Exception {
        try (VectorEnv same = SyncVectorEnv.create(1, i -> new CartPole());
                VectorEnv next = SyncVectorEnv.create(1, AutoresetMode.NEXT_STEP, i -> new CartPole())) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> new ConcatVectorEnv(List.of(same, next)));
            assertTrue(error.getMessage().contains("part 1 autoresets NEXT_STEP"), error.getMessage());
        }
    }
}
