package dev.gymlink.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.Env;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.Space;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Env} contract, in the spirit of dm_env's {@code test_utils.EnvironmentTestMixin} and
 * Gymnasium's {@code env_checker}: one abstract test, extended once per implementation (the Java
 * CartPole, the remote env, ...). It knows nothing about a particular env except through the hooks.
 */
public abstract class EnvContract {

    private final List<Env> envs = new ArrayList<>();

    /** A new env of the implementation under test. */
    protected abstract Env createEnv() throws Exception;

    /** The id {@link Env#spec()} must report. */
    protected abstract String expectedEnvId();

    /** Seed used by the seeded tests. */
    protected long seed() {
        return 20_240_601L;
    }

    /** Whether the first observation depends on the seed (false for envs with a fixed start state). */
    protected boolean startDependsOnSeed() {
        return true;
    }

    /** The longest episode the tests play before giving up on seeing one end. */
    protected int maxStepsPerEpisode() {
        return 2_000;
    }

    /** An action the env accepts; by default a draw from the action space. */
    protected Object validAction(Space actionSpace, RandomGenerator rng) {
        return actionSpace.sample(rng);
    }

    /** Values that are not actions of the space: wrong type, out of range, wrong shape, null. */
    protected List<Object> invalidActions(Space actionSpace) {
        return InvalidValues.notIn(actionSpace);
    }

    /** Creates an env that the test closes afterwards. */
    protected final Env newEnv() throws Exception {
        Env env = createEnv();
        assertNotNull(env, "createEnv() returned null");
        envs.add(env);
        return env;
    }

    @AfterEach
    void closeEnvs() {
        envs.forEach(Env::close);
        envs.clear();
    }

    @Test
    void specNamesTheEnv() throws Exception {
        Env env = newEnv();
        assertEquals(expectedEnvId(), env.spec().id());
        env.spec().maxEpisodeSteps().ifPresent(steps -> assertTrue(steps > 0));
    }

    @Test
    void spacesAreStableAndSampleTheirOwnElements() throws Exception {
        Env env = newEnv();
        assertEquals(env.observationSpace(), env.observationSpace());
        assertEquals(env.actionSpace(), env.actionSpace());
        RandomGenerator rng = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            Object action = validAction(env.actionSpace(), rng);
            assertTrue(env.actionSpace().contains(action), () -> action + " not in " + env.actionSpace());
        }
    }

    @Test
    void observationsStayInTheObservationSpace() throws Exception {
        Env env = newEnv();
        ResetResult reset = env.reset(seed());
        assertInObservationSpace(env, reset.observation(), "reset");
        assertNotNull(reset.info());
        RandomGenerator rng = new SplittableRandom(2);
        for (int episode = 0; episode < 3; episode++) {
            for (StepResult step : playEpisode(env, rng)) {
                assertInObservationSpace(env, step.observation(), "step");
                assertTrue(Double.isFinite(step.reward()), "reward " + step.reward());
                assertNotNull(step.info());
            }
            assertInObservationSpace(env, env.reset().observation(), "unseeded reset");
        }
    }

    @Test
    void sameSeedAndActionsGiveTheSameEpisode() throws Exception {
        List<Object> actions = randomActions(newEnv(), 3);
        List<Object> first = record(newEnv(), seed(), actions);
        Env second = newEnv();
        assertEquals(first, record(second, seed(), actions), "a fresh env with the same seed");
        assertEquals(first, record(second, seed(), actions), "the same env reseeded");
    }

    @Test
    void differentSeedsGiveDifferentStarts() throws Exception {
        assumeTrue(startDependsOnSeed(), "the start state does not depend on the seed");
        Env env = newEnv();
        Object a = env.reset(seed()).observation();
        Object b = env.reset(seed() + 1).observation();
        assertNotEquals(a, b);
    }

    @Test
    void unseededResetsContinueTheSeededGenerator() throws Exception {
        Env first = newEnv();
        Env second = newEnv();
        List<Object> starts = new ArrayList<>();
        first.reset(seed());
        second.reset(seed());
        for (int i = 0; i < 3; i++) {
            Object a = first.reset().observation();
            assertEquals(a, second.reset().observation(), "unseeded reset " + i + " after the same seed");
            starts.add(a);
        }
        if (startDependsOnSeed()) {
            assertNotEquals(first.reset(seed()).observation(), starts.get(0),
                    "an unseeded reset must not restart the seeded sequence");
        }
    }

    @Test
    void stepBeforeResetIsAStateError() throws Exception {
        Env env = newEnv();
        Object action = validAction(env.actionSpace(), new SplittableRandom(3));
        assertThrows(EnvStateException.class, () -> env.step(action));
        assertDoesNotThrow(() -> env.reset(seed()));
        assertDoesNotThrow(() -> env.step(action));
    }

    @Test
    void stepAfterTheEpisodeEndedIsAStateError() throws Exception {
        Env env = newEnv();
        env.reset(seed());
        List<StepResult> episode = playEpisode(env, new SplittableRandom(4));
        assumeTrue(episode.get(episode.size() - 1).done(), "no episode ended within " + maxStepsPerEpisode());
        Object action = validAction(env.actionSpace(), new SplittableRandom(5));
        EnvStateException error = assertThrows(EnvStateException.class, () -> env.step(action));
        assertTrue(error.getMessage().contains("reset"), error.getMessage());
        env.reset();
        assertDoesNotThrow(() -> env.step(action));
    }

    @Test
    void badActionsAreRejectedAndLeaveTheEnvAsItWas() throws Exception {
        Env env = newEnv();
        List<Object> invalid = invalidActions(env.actionSpace());
        assertTrue(invalid.contains(null), "null must be among the invalid actions");
        RandomGenerator rng = new SplittableRandom(6);
        Object good = validAction(env.actionSpace(), rng);
        Object expected = newEnvAfter(seed(), good);

        env.reset(seed());
        for (Object bad : invalid) {
            assertFalse(env.actionSpace().contains(bad), () -> "test bug: " + bad + " is a valid action");
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> env.step(bad),
                    () -> "action " + PythonRepr.describeValue(bad));
            assertTrue(error.getMessage().contains(env.actionSpace().toString()),
                    () -> "message should name the space " + env.actionSpace() + ": " + error.getMessage());
        }
        assertEquals(expected, env.step(good).observation(), "bad actions must not move the env");
    }

    @Test
    void terminatedAndTruncatedFollowTheTimeLimit() throws Exception {
        Env env = newEnv();
        int limit = env.spec().maxEpisodeSteps().orElse(Integer.MAX_VALUE);
        RandomGenerator rng = new SplittableRandom(7);
        env.reset(seed());
        for (int episode = 0; episode < 5; episode++) {
            List<StepResult> steps = playEpisode(env, rng);
            for (int t = 0; t < steps.size() - 1; t++) {
                assertFalse(steps.get(t).done(), "step " + (t + 1) + " ended the episode but it went on");
            }
            StepResult last = steps.get(steps.size() - 1);
            assertTrue(steps.size() <= limit, "episode of " + steps.size() + " steps exceeds the limit " + limit);
            if (last.done()) {
                assertEquals(last.terminated() || last.truncated(), last.done());
                if (!last.terminated()) {
                    assertTrue(last.truncated());
                }
                if (steps.size() == limit) {
                    assertTrue(last.truncated(), "an episode reaching the time limit must be truncated");
                }
            }
            env.reset();
        }
    }

    @Test
    void closeIsIdempotentAndFinal() throws Exception {
        Env env = newEnv();
        env.reset(seed());
        env.close();
        assertDoesNotThrow(env::close);
        assertThrows(EnvException.class, () -> env.reset(seed()));
        Object action = validAction(env.actionSpace(), new SplittableRandom(8));
        assertThrows(EnvException.class, () -> env.step(action));
    }

    @Test
    void aNegativeSeedIsRejected() throws Exception {
        Env env = newEnv();
        assertThrows(InvalidArgumentException.class, () -> env.reset(-1));
        assertDoesNotThrow(() -> env.reset(seed()));
    }

    /** Plays until the episode ends or {@link #maxStepsPerEpisode()} steps; the env must be reset. */
    protected final List<StepResult> playEpisode(Env env, RandomGenerator rng) throws EnvException {
        List<StepResult> steps = new ArrayList<>();
        StepResult step;
        do {
            step = env.step(validAction(env.actionSpace(), rng));
            steps.add(step);
        } while (!step.done() && steps.size() < maxStepsPerEpisode());
        return steps;
    }

    private Object newEnvAfter(long seed, Object action) throws Exception {
        Env reference = newEnv();
        reference.reset(seed);
        return reference.step(action).observation();
    }

    private List<Object> randomActions(Env env, int episodes) throws EnvException {
        List<Object> actions = new ArrayList<>();
        RandomGenerator rng = new SplittableRandom(9);
        env.reset(seed());
        for (int i = 0; i < episodes; i++) {
            int length = 0;
            StepResult step;
            do {
                Object action = validAction(env.actionSpace(), rng);
                actions.add(action);
                step = env.step(action);
                length++;
            } while (!step.done() && length < maxStepsPerEpisode());
            env.reset();
        }
        return actions;
    }

    /** Everything observable of a run: observations, rewards, flags, in order; resets when done. */
    private List<Object> record(Env env, long seed, List<Object> actions) throws EnvException {
        List<Object> trace = new ArrayList<>();
        trace.add(env.reset(seed).observation());
        for (Object action : actions) {
            StepResult step = env.step(action);
            trace.add(List.of(step.observation(), step.reward(), step.terminated(), step.truncated()));
            if (step.done()) {
                trace.add(env.reset().observation());
            }
        }
        return trace;
    }

    private static void assertInObservationSpace(Env env, Object observation, String where) {
        assertTrue(env.observationSpace().contains(observation),
                () -> where + " observation " + PythonRepr.describeValue(observation) + " not in " + env.observationSpace());
    }
}
