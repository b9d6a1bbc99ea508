package dev.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.ReplayBuffer;
import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.Space;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What the trainer stores at episode ends: transitions never span a reset, terminated and
 * truncated arrive in the buffer as the env reported them, and the tutorial's end-of-episode
 * reward replaces only the last reward.
 */
class TrainerEpisodeBoundaryTest {

    /**
     * Observation {@code [copy, episode, t]}. Even episodes terminate after 3 steps, odd ones are
     * truncated after 5 (a time limit); reward 1 per step.
     */
    static final class CountingEnv implements Env {
        private final int copy;
        private int episode = -1;
        private int t;

        CountingEnv(int copy) {
            this.copy = copy;
        }

        @Override
        public EnvSpec spec() {
            return new EnvSpec("Counting-v0", OptionalInt.of(5), OptionalDouble.of(4.0), false, "test", "test");
        }

        @Override
        public Space observationSpace() {
            return Box.uniform(0, 1e9, new int[] {3}, DType.FLOAT32);
        }

        @Override
        public Space actionSpace() {
            return new Discrete(2);
        }

        @Override
        public ResetResult reset(OptionalLong seed, Map<String, Object> options) {
            episode++;
            t = 0;
            return new ResetResult(observation(), Map.of());
        }

        @Override
        public StepResult step(Object action) {
            t++;
            boolean terminated = episode % 2 == 0 && t == 3;
            boolean truncated = episode % 2 == 1 && t == 5;
            return new StepResult(observation(), 1.0, terminated, truncated, Map.of());
        }

        private Tensor observation() {
            return Tensor.float32(copy, episode, t);
        }

        @Override
        public void close() {}
    }

    private static DqnConfig config(DqnConfig base, int numEnvs) {
        return base.toBuilder().numEnvs(numEnvs).totalSteps(400).bufferSize(1_000).batchSize(8)
                .updates(base.updates() instanceof DqnConfig.UpdateSchedule.EveryEnvSteps
                        ? new DqnConfig.UpdateSchedule.EveryEnvSteps(50, 4, 1) : base.updates())
                .build();
    }

    @Test
    void storedTransitionsStayWithinOneEpisodeAndKeepTheirEndFlags() throws Exception {
        DqnConfig config = config(DqnConfig.defaults(), 3);
        List<TrainingListener.EpisodeEnd> ends = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpisodeEnd(EpisodeEnd episode) {
                ends.add(episode);
            }
        };
        try (SyncVectorEnv env = SyncVectorEnv.create(3, CountingEnv::new);
                DqnAgent agent = DqnAgent.create(config, 3, 2)) {
            Trainer trainer = new Trainer(agent, env, Optional.empty(), List.of(recorder));
            trainer.train();
            ReplayBuffer.Contents stored = agent.replayBuffer().contents();
            assertEquals(402, trainer.envSteps(), "3 copies step until the 400-step budget is reached");
            assertEquals(402, stored.size(), "one transition per env step");
            int terminatedCount = 0;
            int truncatedCount = 0;
            for (int k = 0; k < stored.size(); k++) {
                float[] s = java.util.Arrays.copyOfRange(stored.observations(), 3 * k, 3 * k + 3);
                float[] next = java.util.Arrays.copyOfRange(stored.nextObservations(), 3 * k, 3 * k + 3);
                assertEquals(s[0], next[0], "same copy");
                assertEquals(s[1], next[1], "transition " + k + " spans episodes " + s[1] + " -> " + next[1]);
                assertEquals(s[2] + 1, next[2], "one step apart");
                boolean evenEpisode = ((int) s[1]) % 2 == 0;
                assertEquals(evenEpisode && next[2] == 3, stored.terminated()[k], "terminated flag of " + k);
                assertEquals(!evenEpisode && next[2] == 5, stored.truncated()[k], "truncated flag of " + k);
                assertEquals(1f, stored.rewards()[k], "defaults keep the env's reward");
                terminatedCount += stored.terminated()[k] ? 1 : 0;
                truncatedCount += stored.truncated()[k] ? 1 : 0;
            }
            assertTrue(terminatedCount > 10 && truncatedCount > 10, terminatedCount + " / " + truncatedCount);
            assertEquals(terminatedCount + truncatedCount, ends.size(), "one EpisodeEnd per finished episode");
            for (TrainingListener.EpisodeEnd end : ends) {
                assertEquals(end.terminated() ? 3 : 5, end.length());
                assertEquals(end.length(), end.episodeReturn(), 0.0, "undiscounted env return");
            }
        }
    }

    @Test
    void tutorialReplacesTheLastRewardAndRepaysAfterEachEpisode() throws Exception {
        DqnConfig config = config(DqnConfig.tutorial(), 1).toBuilder().batchSize(4).build();
        try (SyncVectorEnv env = SyncVectorEnv.create(1, CountingEnv::new);
                DqnAgent agent = DqnAgent.create(config, 3, 2)) {
            Trainer trainer = new Trainer(agent, env, Optional.empty(), List.of());
            trainer.train();
            ReplayBuffer.Contents stored = agent.replayBuffer().contents();
            for (int k = 0; k < stored.size(); k++) {
                boolean ended = stored.terminated()[k] || stored.truncated()[k];
                assertEquals(ended ? -10f : 1f, stored.rewards()[k], "reward of transition " + k);
            }
            // Episodes alternate 3 and 5 steps: 400 steps hold 100 episodes. After the first (3 steps)
            // memory holds less than a batch of 4, so there is no replay then, and one after every other.
            assertEquals(100, trainer.episodes());
            assertEquals(99, agent.replays(), "one replay per episode once memory holds a batch");
            assertEquals(4 * 99, agent.gradientSteps(), "each replay fits batchSize single samples");
            assertEquals(Math.pow(0.995, 99), trainer.exploration(), 1e-12);
        }
    }

    @Test
    void refusesANextStepVectorEnvWhoseResetStepWouldSpanEpisodes() throws Exception {
        DqnConfig config = config(DqnConfig.defaults(), 2);
        try (SyncVectorEnv env = SyncVectorEnv.create(2, AutoresetMode.NEXT_STEP, CountingEnv::new);
                DqnAgent agent = DqnAgent.create(config, 3, 2)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(agent, env, Optional.empty(), List.of()));
            assertTrue(refused.getMessage().contains("same-step autoreset"), refused.getMessage());
            assertTrue(refused.getMessage().contains("NEXT_STEP"), refused.getMessage());
        }
    }
}
