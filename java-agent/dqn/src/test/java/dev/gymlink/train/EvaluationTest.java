package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluation episodes played side by side on a vector env give exactly the returns of playing them
 * one after the other on a single env, the way gymlink evaluated before it had vector evaluation.
 */
class EvaluationTest {

    private static final int EPISODES = 20;
    private static final long SEED = 4_242;

    private static DqnAgent agent;

    /** A partly trained agent, so that the returns differ from episode to episode. */
    @BeforeAll
    static void trainBriefly() throws EnvException {
        DqnConfig config = DqnConfig.defaults().toBuilder().seed(3).totalSteps(6_000)
                .backend(NetworkBackend.JAVA).build();
        agent = DqnAgent.create(config, 4, 2);
        try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole())) {
            new Trainer(agent, env, Optional.empty(), List.of()).train();
        }
    }

    @AfterAll
    static void closeAgent() {
        agent.close();
    }

    @Test
    void sideBySideGivesTheReturnsOfOneEpisodeAfterTheOther() throws EnvException {
        double[] expected;
        try (CartPole env = new CartPole()) {
            expected = oneAfterTheOther(agent, env, EPISODES, SEED);
        }
        assertTrue(Arrays.stream(expected).distinct().count() > 3, "returns should differ: " + Arrays.toString(expected));
        try (CartPole env = new CartPole()) {
            assertArrayEquals(expected, Evaluation.evaluate(agent, env, EPISODES, SEED).returns(), "single env");
        }
        // One copy per episode, and fewer copies than episodes (rounds, the last one partly used).
        for (int copies : new int[] {EPISODES, 7, 1}) {
            try (SyncVectorEnv env = SyncVectorEnv.create(copies, i -> new CartPole())) {
                assertArrayEquals(expected, Evaluation.evaluate(agent, env, EPISODES, SEED).returns(),
                        copies + " copies");
            }
        }
    }

    @Test
    void aTrainerEvaluatingSideBySideSeesTheSameEvaluations() throws EnvException {
        DqnConfig config = DqnConfig.defaults().toBuilder().seed(5).totalSteps(7_500)
                .backend(NetworkBackend.JAVA).build();
        List<String> single = new ArrayList<>();
        try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole());
                CartPole evalEnv = new CartPole();
                DqnAgent fresh = DqnAgent.create(config, 4, 2)) {
            new Trainer(fresh, env, Optional.of(evalEnv), List.of(recorder(single))).train();
        }
        List<String> sideBySide = new ArrayList<>();
        try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole());
                SyncVectorEnv evalEnv = SyncVectorEnv.create(config.solve().evalEpisodes(), i -> new CartPole());
                DqnAgent fresh = DqnAgent.create(config, 4, 2)) {
            new Trainer(fresh, env, evalEnv, List.of(recorder(sideBySide))).train();
        }
        assertTrue(single.size() >= 2, "evaluations: " + single);
        assertEquals(single, sideBySide);
    }

    private static TrainingListener recorder(List<String> evaluations) {
        return new TrainingListener() {
            @Override
            public void onEvaluation(EvaluationEnd evaluation) {
                evaluations.add(evaluation.envStep() + ": " + evaluation.meanReturn() + " +- " + evaluation.stdReturn()
                        + " [" + evaluation.minReturn() + ", " + evaluation.maxReturn() + "]");
            }
        };
    }

    /** Evaluation as gymlink played it before vector evaluation, kept as the reference. */
    static double[] oneAfterTheOther(DqnAgent agent, Env env, int episodes, long seed) throws EnvException {
        float[] observation = new float[4];
        double[] returns = new double[episodes];
        int stepCap = env.spec().maxEpisodeSteps().orElse(Evaluation.DEFAULT_STEP_CAP);
        for (int k = 0; k < episodes; k++) {
            System.arraycopy(env.reset(seed + k).floatObservation(), 0, observation, 0, 4);
            for (int t = 0; t < stepCap; t++) {
                StepResult step = env.step(agent.greedyAction(observation));
                returns[k] += step.reward();
                if (step.done()) {
                    break;
                }
                System.arraycopy(step.floatObservation(), 0, observation, 0, 4);
            }
        }
        return returns;
    }
}
