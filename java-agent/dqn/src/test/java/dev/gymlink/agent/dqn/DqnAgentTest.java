package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.run.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TD target: terminated cuts the bootstrap, truncated does only when the config says so. */
class DqnAgentTest {

    private static final int BATCH = 16;

    private static DqnConfig config(boolean bootstrapOnTruncation) {
        return DqnConfig.defaults().toBuilder().seed(3).numEnvs(1).batchSize(BATCH).bufferSize(BATCH)
                .hiddenSizes(List.of(8, 8)).backend(NetworkBackend.JAVA)
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

    @Test
    void heldExploratoryActionsRunForTheirDrawnLengthAndThenGreedyActingResumes() {
        int maxRepeat = 6;
        DqnConfig config = config(true).toBuilder()
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.0, 1_000, maxRepeat)).build();
        try (DqnAgent agent = DqnAgent.create(config, 2, 3)) {
            float[] states = {0.3f, -1.2f};
            float[] q = new float[3];
            agent.online().predict(states, 1, q);
            int greedy = q[0] >= q[1] && q[0] >= q[2] ? 0 : q[1] >= q[2] ? 1 : 2;
            int[] action = new int[1];
            java.util.Map<Integer, Integer> runLengths = new java.util.TreeMap<>();
            for (int trial = 0; trial < 300; trial++) {
                agent.act(states, 1, 1.0, action); // explores, and holds what it drew
                int held = action[0];
                int length = 1;
                // Epsilon 0 from here: every further non-greedy action can only come from holding.
                agent.act(states, 1, 0.0, action);
                while (length <= maxRepeat && action[0] == held && held != greedy) {
                    length++;
                    agent.act(states, 1, 0.0, action);
                }
                if (held != greedy) {
                    assertEquals(greedy, action[0], "after the hold, acting is greedy again");
                    runLengths.merge(length, 1, Integer::sum);
                } else {
                    for (int k = 0; k < maxRepeat; k++) {
                        agent.act(states, 1, 0.0, action); // let a hold of the greedy action run out
                    }
                }
            }
            assertEquals(java.util.Set.of(1, 2, 3, 4, 5, 6), runLengths.keySet(),
                    "hold lengths 1-" + maxRepeat + " all occur and no other: " + runLengths);
        }
    }

    @Test
    void withoutRepeatsExplorationDrawsExactlyAsBefore() {
        DqnConfig repeatOne = config(true).toBuilder()
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.0, 1_000, 1)).build();
        DqnConfig classic = config(true).toBuilder()
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.0, 1_000)).build();
        assertEquals(classic, repeatOne);
        try (DqnAgent agent = DqnAgent.create(repeatOne, 2, 3)) {
            Rng expected = Rng.fromState(agent.random().exploration().state());
            int[] action = new int[1];
            for (int k = 0; k < 50; k++) {
                agent.act(new float[] {0.1f, 0.2f}, 1, 1.0, action);
                expected.nextDouble();
                assertEquals(expected.nextInt(3), action[0], "step " + k);
            }
        }
    }
}
