package dev.gymlink.agent.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The TD target: terminated cuts the bootstrap, truncated does only when the config says so. */
class DqnAgentTest {

    private static final int BATCH = 16;

    private static DqnConfig config(boolean bootstrapOnTruncation) {
        return DqnConfig.defaults().toBuilder().seed(3).numEnvs(1).batchSize(BATCH).bufferSize(BATCH)
                .hiddenSizes(List.of(8, 8)).backend(DqnConfig.Backend.JAVA)
                .bootstrapOnTruncation(bootstrapOnTruncation).build();
    }

    /** Transition k: terminated when k % 4 == 1, truncated when k % 4 == 2, reward k / 4. */
    private static float[][] fill(DqnAgent agent) {
        Rng rng = new Rng(8);
        float[][] observations = new float[BATCH + 1][2];
        for (float[] observation : observations) {
            observation[0] = (float) rng.nextGaussian();
            observation[1] = (float) rng.nextGaussian();
        }
        for (int k = 0; k < BATCH; k++) {
            agent.remember(observations[k], 0, k % 2, k / 4f, observations[k + 1], 0, k % 4 == 1, k % 4 == 2);
        }
        return observations;
    }

    private static double expectedLoss(DqnAgent agent, float[][] observations, boolean bootstrapOnTruncation) {
        int[] sampled = new int[BATCH];
        Rng replayCopy = Rng.fromState(agent.random().replay().state());
        agent.replayBuffer().sampleIndices(replayCopy, sampled, BATCH);
        QNetwork online = agent.online(); // the target network is still a copy of it
        double gamma = agent.config().gamma();
        double lossSum = 0;
        float[] q = new float[2];
        float[] next = new float[2];
        for (int k : sampled) {
            online.predict(observations[k], 1, q);
            online.predict(observations[k + 1], 1, next);
            boolean terminated = k % 4 == 1;
            boolean truncated = k % 4 == 2;
            boolean cut = terminated || (truncated && !bootstrapOnTruncation);
            double bootstrap = next[next[1] > next[0] ? 1 : 0];
            double target = k / 4.0 + (cut ? 0 : gamma * bootstrap);
            double error = q[k % 2] - target;
            lossSum += Math.abs(error) <= 1 ? 0.5 * error * error : Math.abs(error) - 0.5;
        }
        return lossSum / BATCH;
    }

    @Test
    void targetsBootstrapThroughTruncationButNotTermination() {
        double[] losses = new double[2];
        int i = 0;
        for (boolean bootstrapOnTruncation : new boolean[] {true, false}) {
            try (DqnAgent agent = DqnAgent.create(config(bootstrapOnTruncation), 2, 2)) {
                float[][] observations = fill(agent);
                double expected = expectedLoss(agent, observations, bootstrapOnTruncation);
                double actual = agent.learn();
                assertEquals(expected, actual, 1e-5 * Math.max(1, expected), "bootstrapOnTruncation " + bootstrapOnTruncation);
                losses[i++] = actual;
            }
        }
        assertNotEquals(losses[0], losses[1], "the truncation rule must change the targets");
    }

    @Test
    void greedyActingPicksTheLargestQValueAndEpsilonOneIsUniform() {
        try (DqnAgent agent = DqnAgent.create(config(true), 2, 2)) {
            float[] states = {0.3f, -1.2f, 2.0f, 0.5f};
            float[] q = new float[4];
            agent.online().predict(states, 2, q);
            int[] actions = new int[2];
            agent.act(states, 2, 0.0, actions);
            assertEquals(q[1] > q[0] ? 1 : 0, actions[0]);
            assertEquals(q[3] > q[2] ? 1 : 0, actions[1]);
            int ones = 0;
            for (int k = 0; k < 2_000; k++) {
                agent.act(states, 2, 1.0, actions);
                ones += actions[0] + actions[1];
            }
            assertTrue(Math.abs(ones - 2_000) < 150, "uniform random actions, got " + ones + " ones of 4000");
        }
    }
}
