package dev.gymlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** SyncVectorEnv behaviour the contract test cannot reach with CartPole: infos, failures, ownership. */
class SyncVectorEnvTest {

    /** Counts up by its action from its seed; the episode ends at 3 steps with an info saying so. */
    static class Counter implements Env {
        static final EnvSpec SPEC = new EnvSpec("Counter-v0", OptionalInt.of(3), OptionalDouble.empty(), false,
                "test", "test");
        long value;
        int steps;
        boolean closed;
        RuntimeException failOnStep;

        @Override
        public EnvSpec spec() {
            return SPEC;
        }

        @Override
        public Space observationSpace() {
            return new Discrete(1000);
        }

        @Override
        public Space actionSpace() {
            return new Discrete(2);
        }

        @Override
        public ResetResult reset(OptionalLong seed, Map<String, Object> options) {
            if (seed.isPresent()) {
                value = seed.getAsLong();
            }
            steps = 0;
            return new ResetResult(value, Map.of("reset", true));
        }

        @Override
        public StepResult step(Object action) {
            if (failOnStep != null) {
                throw failOnStep;
            }
            value += ((Number) action).longValue();
            steps++;
            boolean end = steps == 3;
            return new StepResult(value, 1, false, end, end ? Map.of("last", value) : Map.of());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void infosOfEndedCopiesGoToFinalInfosAndTheirResetInfoToInfos() throws Exception {
        try (SyncVectorEnv vector = SyncVectorEnv.create(2, i -> new Counter())) {
            vector.reset(10);
            vector.step(new Object[] {1L, 0L});
            vector.step(new Object[] {1L, 1L});
            VectorStepResult end = vector.step(new Object[] {1L, 0L});
            assertEquals(13L, end.finalObservations()[0]);
            assertEquals(12L, end.finalObservations()[1]);
            assertEquals(Map.of("last", 13L), end.finalInfos().get(0));
            assertEquals(Map.of("reset", true), end.infos().get(0), "info of the autoreset");
            assertEquals(13L, end.observations()[0], "an unseeded reset keeps the counter");
            assertTrue(end.truncated()[0] && end.truncated()[1]);
        }
    }

    @Test
    void theEmptyInfoListIsSharedBetweenSteps() throws Exception {
        try (SyncVectorEnv vector = SyncVectorEnv.create(2, i -> new Counter())) {
            vector.reset(0);
            VectorStepResult first = vector.step(new Object[] {0L, 0L});
            VectorStepResult second = vector.step(new Object[] {0L, 0L});
            assertSame(first.infos(), second.infos());
            assertSame(first.finalInfos(), second.finalInfos());
            assertNull(second.finalObservations()[0]);
        }
    }

    @Test
    void badActionNamesIndexValueAndSpace() throws Exception {
        try (SyncVectorEnv vector = SyncVectorEnv.create(3, i -> new Counter())) {
            vector.reset(0);
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                    () -> vector.step(new Object[] {1L, 0L, 2L}));
            assertEquals("action at index 2: 2 is not in Discrete(2)", error.getMessage());
            assertThrows(InvalidArgumentException.class, () -> vector.step(new Object[] {1L}));
        }
    }

    @Test
    void aCopyFailingMidStepForcesAReset() throws Exception {
        List<Counter> copies = List.of(new Counter(), new Counter());
        try (SyncVectorEnv vector = new SyncVectorEnv(copies)) {
            vector.reset(0);
            copies.get(1).failOnStep = new IllegalStateException("boom");
            assertThrows(IllegalStateException.class, () -> vector.step(new Object[] {1L, 1L}));
            copies.get(1).failOnStep = null;
            EnvStateException error = assertThrows(EnvStateException.class, () -> vector.step(new Object[] {1L, 1L}));
            assertTrue(error.getMessage().contains("reset"), error.getMessage());
            vector.reset(0);
            assertEquals(2L, vector.step(new Object[] {1L, 1L}).observations()[1], "copy 1 seeded 1, plus 1");
        }
    }

    @Test
    void aFactoryFailureClosesTheCopiesAlreadyMade() {
        List<Counter> made = new ArrayList<>();
        EnvException error = assertThrows(EnvException.class, () -> SyncVectorEnv.create(3, i -> {
            if (i == 2) {
                throw new EnvUnavailableException("no third copy");
            }
            Counter counter = new Counter();
            made.add(counter);
            return counter;
        }));
        assertEquals("no third copy", error.getMessage());
        assertEquals(2, made.size());
        assertTrue(made.stream().allMatch(c -> c.closed));
    }

    @Test
    void closingClosesEveryCopyOnce() throws Exception {
        List<Counter> copies = List.of(new Counter(), new Counter());
        SyncVectorEnv vector = new SyncVectorEnv(copies);
        vector.close();
        vector.close();
        assertTrue(copies.stream().allMatch(c -> c.closed));
        assertThrows(EnvStateException.class, () -> vector.reset(0));
    }

    @Test
    void copiesMustBeOfOneEnvAndSeedsMustNotOverflow() throws Exception {
        Env other = new Counter() {
            @Override
            public Space actionSpace() {
                return new Discrete(3);
            }
        };
        assertThrows(IllegalArgumentException.class, () -> new SyncVectorEnv(List.of(new Counter(), other)));
        assertThrows(IllegalArgumentException.class, () -> new SyncVectorEnv(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SyncVectorEnv.create(0, i -> new Counter()));
        try (SyncVectorEnv vector = SyncVectorEnv.create(2, i -> new Counter())) {
            assertThrows(InvalidArgumentException.class, () -> vector.reset(Long.MAX_VALUE));
            assertEquals(Long.MAX_VALUE, vector.reset(Long.MAX_VALUE - 1).observations()[1]);
        }
    }

    @Test
    void nextStepKeepsTheLastObservationAndResetsInTheFollowingStepIgnoringTheAction() throws Exception {
        try (SyncVectorEnv env = SyncVectorEnv.create(2, AutoresetMode.NEXT_STEP, i -> new Counter())) {
            env.reset(10);
            env.step(new int[] {1, 0});
            env.step(new int[] {1, 0});
            VectorStepResult third = env.step(new int[] {1, 0});
            assertEquals(AutoresetMode.NEXT_STEP, third.autoresetMode());
            assertTrue(third.truncated()[0] && third.truncated()[1]);
            assertEquals(List.of(13L, 11L), List.of(third.observations()), "the episodes' last observations");
            assertNull(third.finalObservations()[0]);
            assertEquals(Map.of("last", 13L), third.infos().get(0), "the last step's info is the info");
            assertEquals(Map.of(), third.finalInfos().get(0));

            VectorStepResult fourth = env.step(new int[] {1, 1});
            assertEquals(List.of(13L, 11L), List.of(fourth.observations()), "reset, the actions ignored");
            assertEquals(0.0, fourth.rewards()[0]);
            assertTrue(!fourth.done(0) && !fourth.done(1));
            assertEquals(Map.of("reset", true), fourth.infos().get(1));
            assertEquals(List.of(14L, 12L), List.of(env.step(new int[] {1, 1}).observations()));
        }
    }

    @Test
    void resultsCheckFinalObservationsAgainstTheirMode() {
        Object[] one = {1L};
        IllegalArgumentException sameStep = assertThrows(IllegalArgumentException.class, () -> new VectorStepResult(
                one, new double[1], new boolean[] {true}, new boolean[1], new Object[1], List.of(Map.of()),
                List.of(Map.of())));
        assertTrue(sameStep.getMessage().contains("same-step"), sameStep.getMessage());
        IllegalArgumentException nextStep = assertThrows(IllegalArgumentException.class, () -> new VectorStepResult(
                one, new double[1], new boolean[] {true}, new boolean[1], new Object[] {0L}, List.of(Map.of()),
                List.of(Map.of()), AutoresetMode.NEXT_STEP));
        assertTrue(nextStep.getMessage().contains("next-step"), nextStep.getMessage());
    }

    @Test
    void floatAccessorsNameWhatTheObservationIsInstead() throws Exception {
        try (SyncVectorEnv env = SyncVectorEnv.create(1, i -> new Counter())) {
            VectorResetResult reset = env.reset(3);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> reset.floatObservation(0));
            assertTrue(error.getMessage().startsWith("the observation of copy 0 is 3, not a tensor"), error.getMessage());
            VectorStepResult step = env.step(new int[] {1});
            IllegalStateException absent = assertThrows(IllegalStateException.class,
                    () -> step.floatFinalObservation(0));
            assertEquals("the final observation of copy 0 is absent", absent.getMessage());
        }
        StepResult box = new StepResult(Tensor.float32(1.5f, -2f), 1, false, false, Map.of());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1.5f, -2f}, box.floatObservation());
    }
}
