package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.Env;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.Space;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.testkit.SharedServerChannel;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java CartPole against Gymnasium's CartPole-v1 behind the real server: the same numbers, bit
 * for bit, for single envs and for vectors with same-step autoreset.
 */
class CartPoleParityTest {

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Test
    void hundredSeededEpisodesWithRandomActionsMatchExactly() throws Exception {
        ParityCheck.Report report = ParityCheck.cartPole(server.channel(), 120, 1_000);
        System.out.println("CartPole parity: " + report);
        assertEquals(120, report.episodes());
        assertTrue(report.steps() > 120 * 9, "too few steps compared: " + report.steps());
        assertEquals(0.0, report.maxObservationDifference(), report::toString);
        assertEquals(0, report.flagMismatches(), report::toString);
        assertEquals(0, report.rewardMismatches(), report::toString);
        assertTrue(report.identical());
    }

    @Test
    void theCheckSeesADifferenceWhenThereIsOne() throws Exception {
        // The same comparison against an env that nudges one observation element by one float32 ulp.
        ParityCheck.Report report = ParityCheck.run(CartPole::new,
                () -> new NudgedEnv(RemoteEnv.connect(server.channel(), EnvOptions.of(CartPole.ID))), 3, 1_000);
        assertFalse(report.identical());
        assertTrue(report.maxObservationDifference() > 0 && report.maxObservationDifference() < 1e-6,
                report::toString);
        assertFalse(report.mismatches().isEmpty());
    }

    @Test
    void aShorterTimeLimitOnOneSideIsAFlagMismatch() throws Exception {
        ParityCheck.Report report = ParityCheck.run(CartPole::new,
                () -> RemoteEnv.connect(server.channel(), EnvOptions.of(CartPole.ID).withMaxEpisodeSteps(5)), 5, 7);
        assertTrue(report.flagMismatches() > 0, report::toString);
    }

    @Test
    void aRemoteVectorStepsExactlyLikeASyncVectorOfJavaCartPoles() throws Exception {
        int copies = 8;
        try (VectorEnv local = SyncVectorEnv.create(copies, index -> new CartPole());
                RemoteVectorEnv remote = RemoteVectorEnv.connect(server.channel(), EnvOptions.of(CartPole.ID), copies)) {
            assertArrayEquals(local.reset(77).observations(), remote.reset(77).observations());
            SplittableRandom rng = new SplittableRandom(77);
            int episodesEnded = 0;
            for (int t = 0; t < 1_000; t++) {
                Object[] actions = new Object[copies];
                for (int i = 0; i < copies; i++) {
                    actions[i] = local.singleActionSpace().sample(rng);
                }
                VectorStepResult expected = local.step(actions);
                VectorStepResult actual = remote.step(actions);
                String at = "step " + t;
                assertArrayEquals(expected.observations(), actual.observations(), at);
                assertArrayEquals(expected.rewards(), actual.rewards(), at);
                assertArrayEquals(expected.terminated(), actual.terminated(), at);
                assertArrayEquals(expected.truncated(), actual.truncated(), at);
                assertArrayEquals(expected.finalObservations(), actual.finalObservations(), at);
                for (int i = 0; i < copies; i++) {
                    episodesEnded += expected.done(i) ? 1 : 0;
                }
            }
            assertTrue(episodesEnded > 100, "autoreset must have been exercised, saw " + episodesEnded + " episodes end");
        }
    }

    /** Delegates to an env and shifts the first element of every step observation up by one float32 ulp. */
    private record NudgedEnv(Env env) implements Env {
        @Override
        public EnvSpec spec() {
            return env.spec();
        }

        @Override
        public Space observationSpace() {
            return env.observationSpace();
        }

        @Override
        public Space actionSpace() {
            return env.actionSpace();
        }

        @Override
        public ResetResult reset(OptionalLong seed, Map<String, Object> options) throws dev.gymlink.env.EnvException {
            return env.reset(seed, options);
        }

        @Override
        public StepResult step(Object action) throws dev.gymlink.env.EnvException {
            StepResult step = env.step(action);
            Tensor observation = (Tensor) step.observation();
            double[] data = observation.data().clone();
            data[0] = Math.nextUp((float) data[0]);
            return new StepResult(new Tensor(observation.dtype(), observation.shape(), data), step.reward(),
                    step.terminated(), step.truncated(), step.info());
        }

        @Override
        public void close() {
            env.close();
        }
    }
}
