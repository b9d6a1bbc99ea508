package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: the {@code defaults()} preset solves the local CartPole (greedy 20-episode mean >=
 * 475) within 50,000 env steps for at least 4 of 5 fixed seeds, on the plain-Java backend.
 */
class DqnLearningTest {

    private static final long[] SEEDS = {1, 2, 3, 4, 5};

    @Test
    void defaultsSolveCartPoleWithin50kStepsForFourOfFiveSeeds() throws EnvException {
        List<String> outcomes = new ArrayList<>();
        int solved = 0;
        for (long seed : SEEDS) {
            DqnConfig config = DqnConfig.defaults().toBuilder()
                    .seed(seed)
                    .totalSteps(50_000)
                    .backend(NetworkBackend.JAVA)
                    .build();
            TrainingListener.TrainingEnd end = train(config);
            outcomes.add("seed " + seed + ": " + (end.solved() ? "solved at " + end.solvedAtStep() : "not solved"));
            if (end.solved()) {
                assertTrue(end.solvedAtStep() <= 50_000, "solve reported past the budget: " + end);
                solved++;
            }
        }
        System.out.println("defaults on CartPole-v1: " + outcomes);
        assertTrue(solved >= 4, "solved for only " + solved + " of 5 seeds: " + outcomes);
    }

    @Test
    void solvedPolicyReallyScoresAtTheThresholdOnFreshEpisodes() throws EnvException {
        DqnConfig config = DqnConfig.defaults().toBuilder().seed(2).backend(NetworkBackend.JAVA).build();
        try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole());
                CartPole evalEnv = new CartPole();
                CartPole freshEnv = new CartPole();
                DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            TrainingListener.TrainingEnd end = new Trainer(agent, env, Optional.of(evalEnv), List.of()).train();
            assertTrue(end.solved(), "seed 2 should solve: " + end);
            assertEquals(end.solvedAtStep(), end.envSteps(), "training stops at the solving evaluation");
            // Episodes the solve evaluation never saw.
            Evaluation.Result fresh = Evaluation.evaluate(agent, freshEnv, 20, 987_654);
            assertTrue(fresh.mean() >= 400, "greedy policy on unseen episodes: " + fresh);
        }
    }

    static TrainingListener.TrainingEnd train(DqnConfig config) throws EnvException {
        try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole());
                CartPole evalEnv = new CartPole();
                DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            return new Trainer(agent, env, Optional.of(evalEnv), List.of()).train();
        }
    }
}
