package dev.gymlink.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link VectorEnv} contract, extended once per implementation: spaces, seeding copy {@code i}
 * with {@code seed + i}, same-step autoreset with final observations, and bad actions rejected
 * before any copy moves. The reference for every copy is a single env of the same kind, stepped
 * with the same actions and reset by hand when its episode ends.
 */
public abstract class VectorEnvContract {

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** A new vector env of {@code numEnvs} copies of the implementation under test. */
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
    void stepsLikeSingleEnvsWithSameStepAutoreset() throws Exception {
        VectorEnv vector = newVectorEnv();
        assumeFalse(vector.spec().nondeterministic(), "a nondeterministic env cannot be replayed");
        Env[] singles = new Env[numEnvs()];
        VectorResetResult reset = vector.reset(seed());
        for (int i = 0; i < numEnvs(); i++) {
            singles[i] = newSingleEnv();
            assertEquals(singles[i].reset(seed() + i).observation(), reset.observations()[i]);
        }
        RandomGenerator rng = new SplittableRandom(11);
        int episodesEnded = 0;
        for (int t = 0; t < comparisonSteps(); t++) {
            Object[] actions = new Object[numEnvs()];
            for (int i = 0; i < numEnvs(); i++) {
                actions[i] = validAction(vector.singleActionSpace(), rng);
            }
            VectorStepResult result = vector.step(actions);
            assertEquals(numEnvs(), result.numEnvs());
            for (int i = 0; i < numEnvs(); i++) {
                String where = "step " + t + ", copy " + i;
                StepResult expected = singles[i].step(actions[i]);
                assertEquals(expected.reward(), result.rewards()[i], where + ": reward");
                assertEquals(expected.terminated(), result.terminated()[i], where + ": terminated");
                assertEquals(expected.truncated(), result.truncated()[i], where + ": truncated");
                assertTrue(vector.singleObservationSpace().contains(result.observations()[i]), where);
                if (expected.done()) {
                    episodesEnded++;
                    assertEquals(expected.observation(), result.finalObservations()[i], where + ": final observation");
                    assertTrue(vector.singleObservationSpace().contains(result.finalObservations()[i]), where);
                    assertEquals(expected.info(), result.finalInfos().get(i), where + ": final info");
                    ResetResult next = singles[i].reset();
                    assertEquals(next.observation(), result.observations()[i], where + ": autoreset observation");
                    assertEquals(next.info(), result.infos().get(i), where + ": reset info");
                } else {
                    assertEquals(expected.observation(), result.observations()[i], where + ": observation");
                    assertNull(result.finalObservations()[i], where + ": final observation of a running copy");
                    assertEquals(expected.info(), result.infos().get(i), where + ": info");
                }
            }
        }
        assertTrue(episodesEnded > 0, "no episode ended in " + comparisonSteps() + " steps: autoreset untested");
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
        assertThrows(InvalidArgumentException.class, () -> vector.step(null));
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
