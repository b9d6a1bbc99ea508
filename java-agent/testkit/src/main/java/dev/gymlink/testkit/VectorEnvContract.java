package dev.gymlink.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.VectorResetResult;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.Env;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.Space;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link VectorEnv} contract, extended once per implementation and autoreset mode: spaces,
 * seeding copy {@code i} with {@code seed + i}, autoreset in the vector env's
 * {@link VectorEnv#autoresetMode() mode} (same-step with final observations, or next-step with a
 * reward-0 reset step that ignores the action), {@code int} actions for a Discrete action space,
 * and bad actions rejected before any copy moves. The reference for every copy is a single env of
 * the same kind, stepped with the same actions and reset by hand when its episode ends.
 *
 * <p>The tests run in the mode of the vector env {@link #createVectorEnv} returns; a vector env
 * that offers both modes is covered by two subclasses, one per mode.
 */
public abstract class VectorEnvContract {

    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * A new vector env of {@code numEnvs} copies of the implementation under test, in the autoreset
     * mode this subclass tests. Copy {@code i} must be seeded {@code seed + i} by a seeded reset.
     */
    protected abstract VectorEnv createVectorEnv(int numEnvs) throws Exception;

    /** A single env of the kind the vector copies, as the reference for each copy. */
    protected abstract Env createSingleEnv() throws Exception;

    /** How many copies the tests use. */
    protected int numEnvs() {
        return 4;
    }

    protected long seed() {
        return 31_337L;
    }

    /** Steps of the reference comparison; enough for several episodes to end. */
    protected int comparisonSteps() {
        return 300;
    }

    protected Object validAction(Space actionSpace, RandomGenerator rng) {
        return actionSpace.sample(rng);
    }

    protected List<Object> invalidActions(Space actionSpace) {
        return InvalidValues.notIn(actionSpace);
    }

    protected final VectorEnv newVectorEnv() throws Exception {
        VectorEnv env = createVectorEnv(numEnvs());
        assertNotNull(env, "createVectorEnv returned null");
        resources.add(env);
        return env;
    }

    protected final Env newSingleEnv() throws Exception {
        Env env = createSingleEnv();
        resources.add(env);
        return env;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
    }

    @Test
    void describesItsCopies() throws Exception {
        VectorEnv vector = newVectorEnv();
        Env single = newSingleEnv();
        assertEquals(numEnvs(), vector.numEnvs());
        assertEquals(single.spec().id(), vector.spec().id());
        assertEquals(single.observationSpace(), vector.singleObservationSpace());
        assertEquals(single.actionSpace(), vector.singleActionSpace());
    }

    @Test
    void seededResetSeedsCopyIWithSeedPlusI() throws Exception {
        VectorResetResult reset = newVectorEnv().reset(seed());
        assertEquals(numEnvs(), reset.numEnvs());
        for (int i = 0; i < numEnvs(); i++) {
            assertEquals(newSingleEnv().reset(seed() + i).observation(), reset.observations()[i], "copy " + i);
        }
    }

    @Test
    void stepsLikeSingleEnvsWithItsAutoresetMode() throws Exception {
        VectorEnv vector = newVectorEnv();
        assumeFalse(vector.spec().nondeterministic(), "a nondeterministic env cannot be replayed");
        AutoresetMode mode = vector.autoresetMode();
        assertNotNull(mode, "autoresetMode()");
        Env[] singles = new Env[numEnvs()];
        VectorResetResult reset = vector.reset(seed());
        for (int i = 0; i < numEnvs(); i++) {
            singles[i] = newSingleEnv();
            assertEquals(singles[i].reset(seed() + i).observation(), reset.observations()[i]);
        }
        RandomGenerator rng = new SplittableRandom(11);
        boolean[] autoresetDue = new boolean[numEnvs()];
        int episodesEnded = 0;
        int autoresets = 0;
        for (int t = 0; t < comparisonSteps(); t++) {
            Object[] actions = new Object[numEnvs()];
            for (int i = 0; i < numEnvs(); i++) {
                actions[i] = validAction(vector.singleActionSpace(), rng);
            }
            VectorStepResult result = vector.step(actions);
            assertEquals(numEnvs(), result.numEnvs());
            assertEquals(mode, result.autoresetMode(), "step " + t + ": mode of the result");
            for (int i = 0; i < numEnvs(); i++) {
                String where = "step " + t + ", copy " + i + " (" + mode + ")";
                assertTrue(vector.singleObservationSpace().contains(result.observations()[i]), where);
                if (autoresetDue[i]) {
                    // NEXT_STEP: the copy ended last step; this step resets it and ignores its action.
                    autoresets++;
                    autoresetDue[i] = false;
                    ResetResult next = singles[i].reset();
                    assertEquals(next.observation(), result.observations()[i], where + ": autoreset observation");
                    assertEquals(next.info(), result.infos().get(i), where + ": reset info");
                    assertEquals(0.0, result.rewards()[i], where + ": autoreset reward");
                    assertFalse(result.done(i), where + ": an autoreset step ends nothing");
                    assertNull(result.finalObservations()[i], where + ": final observation");
                    continue;
                }
                StepResult expected = singles[i].step(actions[i]);
                assertEquals(expected.reward(), result.rewards()[i], where + ": reward");
                assertEquals(expected.terminated(), result.terminated()[i], where + ": terminated");
                assertEquals(expected.truncated(), result.truncated()[i], where + ": truncated");
                if (expected.done() && mode == AutoresetMode.SAME_STEP) {
                    episodesEnded++;
                    assertEquals(expected.observation(), result.finalObservations()[i], where + ": final observation");
                    assertTrue(vector.singleObservationSpace().contains(result.finalObservations()[i]), where);
                    assertEquals(expected.info(), result.finalInfos().get(i), where + ": final info");
                    ResetResult next = singles[i].reset();
                    assertEquals(next.observation(), result.observations()[i], where + ": autoreset observation");
                    assertEquals(next.info(), result.infos().get(i), where + ": reset info");
                } else {
                    episodesEnded += expected.done() ? 1 : 0;
                    autoresetDue[i] = expected.done() && mode == AutoresetMode.NEXT_STEP;
                    assertEquals(expected.observation(), result.observations()[i], where + ": observation");
                    assertNull(result.finalObservations()[i], where + ": final observation");
                    assertEquals(expected.info(), result.infos().get(i), where + ": info");
                    assertEquals(Map.of(), result.finalInfos().get(i), where + ": final info");
                }
            }
        }
        assertTrue(episodesEnded > 0, "no episode ended in " + comparisonSteps() + " steps: autoreset untested");
        assertTrue(mode != AutoresetMode.NEXT_STEP || autoresets > 0,
                "no copy was reset in the step after its episode ended in " + comparisonSteps() + " steps");
    }

    @Test
    void intActionsStepLikeTheirValues() throws Exception {
        VectorEnv typed = newVectorEnv();
        assumeTrue(typed.singleActionSpace() instanceof Discrete, "int actions are for a Discrete action space");
        assumeFalse(typed.spec().nondeterministic(), "a nondeterministic env cannot be replayed");
        VectorEnv boxed = newVectorEnv();
        typed.reset(seed());
        boxed.reset(seed());
        RandomGenerator rng = new SplittableRandom(15);
        for (int t = 0; t < 20; t++) {
            int[] actions = new int[numEnvs()];
            Object[] values = new Object[numEnvs()];
            for (int i = 0; i < numEnvs(); i++) {
                values[i] = validAction(typed.singleActionSpace(), rng);
                actions[i] = ((Number) values[i]).intValue();
            }
            VectorStepResult fromInts = typed.step(actions);
            VectorStepResult fromValues = boxed.step(values);
            for (int i = 0; i < numEnvs(); i++) {
                assertEquals(fromValues.observations()[i], fromInts.observations()[i], "step " + t + ", copy " + i);
                assertEquals(fromValues.rewards()[i], fromInts.rewards()[i], "step " + t + ", copy " + i);
            }
        }
    }

    @Test
    void badActionIsRejectedBeforeAnyCopyMoves() throws Exception {
        VectorEnv vector = newVectorEnv();
        VectorEnv reference = newVectorEnv();
        RandomGenerator rng = new SplittableRandom(12);
        Object[] good = new Object[numEnvs()];
        for (int i = 0; i < numEnvs(); i++) {
            good[i] = validAction(vector.singleActionSpace(), rng);
        }
        vector.reset(seed());
        reference.reset(seed());
        int badIndex = numEnvs() - 1;
        for (Object bad : invalidActions(vector.singleActionSpace())) {
            Object[] actions = good.clone();
            actions[badIndex] = bad;
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> vector.step(actions),
                    () -> "action " + PythonRepr.describeValue(bad));
            assertTrue(error.getMessage().contains(vector.singleActionSpace().toString()),
                    () -> "message should name the space: " + error.getMessage());
            assertTrue(error.getMessage().contains(String.valueOf(badIndex)),
                    () -> "message should name the index " + badIndex + ": " + error.getMessage());
        }
        VectorStepResult afterBad = vector.step(good);
        VectorStepResult expected = reference.step(good);
        for (int i = 0; i < numEnvs(); i++) {
            assertEquals(expected.observations()[i], afterBad.observations()[i], "copy " + i + " moved");
        }
    }

    @Test
    void wrongNumberOfActionsIsRejected() throws Exception {
        VectorEnv vector = newVectorEnv();
        vector.reset(seed());
        RandomGenerator rng = new SplittableRandom(13);
        Object[] tooFew = new Object[numEnvs() - 1];
        for (int i = 0; i < tooFew.length; i++) {
            tooFew[i] = validAction(vector.singleActionSpace(), rng);
        }
        assertThrows(InvalidArgumentException.class, () -> vector.step(tooFew));
        assertThrows(InvalidArgumentException.class, () -> vector.step((Object[]) null));
    }

    @Test
    void stepBeforeResetIsAStateError() throws Exception {
        VectorEnv vector = newVectorEnv();
        Object[] actions = new Object[numEnvs()];
        RandomGenerator rng = new SplittableRandom(14);
        for (int i = 0; i < numEnvs(); i++) {
            actions[i] = validAction(vector.singleActionSpace(), rng);
        }
        assertThrows(EnvStateException.class, () -> vector.step(actions));
        vector.reset(seed());
        assertDoesNotThrow(() -> vector.step(actions));
    }

    @Test
    void unseededResetGivesObservationsInTheSpace() throws Exception {
        VectorEnv vector = newVectorEnv();
        VectorResetResult reset = vector.reset();
        for (Object observation : reset.observations()) {
            assertTrue(vector.singleObservationSpace().contains(observation));
        }
        assertEquals(numEnvs(), reset.infos().size());
    }

    @Test
    void closeIsIdempotentAndFinal() throws Exception {
        VectorEnv vector = newVectorEnv();
        vector.reset(seed());
        vector.close();
        assertDoesNotThrow(vector::close);
        assertThrows(EnvException.class, () -> vector.reset(seed()));
    }
}
