package dev.gymlink.train.sac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.run.SolveCriterion;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.agent.sac.SacPresets;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.pendulum.Pendulum;
import dev.gymlink.train.Evaluation;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: SAC's Pendulum-v1 preset swings the Java Pendulum up on a fixed seed. To keep the
 * test near a minute it stops at the first 10-episode greedy evaluation at or above -160 (a margin
 * over -200: ten episodes are a noisy estimate), well inside the preset's 20,000 steps, and that
 * policy must then score at least -200 over 100 fresh episodes.
 */
class SacLearningTest {

    @Test
    void pendulumPresetReachesMinus200OverAHundredEpisodesWithinItsBudget() throws Exception {
        SacConfig preset = SacPresets.bundled().config(Pendulum.ID);
        SacConfig config = preset.toBuilder()
                .solve(new SolveCriterion(-160, 10, preset.solve().evalEverySteps(), true))
                .seed(1)
                .build();
        SacAgent agent = SacAgent.create(config, 3, new Pendulum().actionSpace());
        try (VectorEnv env = SyncVectorEnv.create(1, i -> new Pendulum());
                VectorEnv evalEnv = SyncVectorEnv.create(10, i -> new Pendulum());
                VectorEnv freshEnv = SyncVectorEnv.create(100, i -> new Pendulum())) {
            SacTrainable trainable = new SacTrainable(agent);
            TrainingListener.TrainingEnd end = new Trainer(trainable, env, Optional.of(evalEnv), List.of()).train();
            assertTrue(end.solved(), "no greedy evaluation reached -160 in 20,000 steps: " + end);
            assertTrue(end.envSteps() <= 20_000, end::toString);
            Evaluation.Result fresh = Evaluation.evaluate(trainable, freshEnv, 100, 1_000_000);
            System.out.println("SAC Pendulum-v1 seed 1: solved at " + end.solvedAtStep() + " steps, " + end.seconds()
                    + " s; 100 fresh greedy episodes: " + fresh);
            assertTrue(fresh.mean() >= -200, "100 fresh greedy episodes: " + fresh);
        }
    }
}
