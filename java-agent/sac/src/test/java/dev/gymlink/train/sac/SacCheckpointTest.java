package dev.gymlink.train.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.run.SolveCriterion;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.agent.sac.SacPresets;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.pendulum.Pendulum;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.RunProvenance;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import dev.gymlink.train.listeners.CheckpointListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SAC checkpoints in the run layout DQN's use: written by the same listener (best included), read
 * back into the same agent, and a run stopped at a checkpoint and resumed continues exactly as the
 * run that never stopped.
 */
class SacCheckpointTest {

    @TempDir
    Path dir;

    private static final SacConfig CONFIG = SacPresets.bundled().config(Pendulum.ID).toBuilder().totalSteps(1_000)
            .numEnvs(2).batchSize(32).solve(new SolveCriterion(-200, 2, 400, false)).seed(9).build();

    /**
     * With gSDE, rounds of 64 env steps: the checkpoint at 1,000 falls inside a round, so the
     * resumed run must act on the saved noise matrices, not fresh ones.
     */
    private static final SacConfig SDE_CONFIG = CONFIG.toBuilder().trainFrequency(64).gradientSteps(64)
            .sde(SacConfig.StateDependentNoise.on(-2, -1)).build();

    static Stream<SacConfig> configs() {
        return Stream.of(CONFIG, SDE_CONFIG);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aResumedRunContinuesExactlyAsTheRunThatNeverStopped(SacConfig config) throws Exception {
        List<Double> straight = new ArrayList<>();
        try (VectorEnv env = pendulums(); VectorEnv evalEnv = pendulums()) {
            SacAgent agent = SacAgent.create(config.withTotalSteps(1_600), 3, new Pendulum().actionSpace());
            new Trainer(new SacTrainable(agent), env, Optional.of(evalEnv), List.of(recorder(straight))).train();
        }

        List<Double> split = new ArrayList<>();
        Path run = dir.resolve("run");
        try (VectorEnv env = pendulums(); VectorEnv evalEnv = pendulums()) {
            SacAgent agent = SacAgent.create(config, 3, new Pendulum().actionSpace());
            RunProvenance provenance = RunProvenance.of(env.spec(), SacCheckpoints.ALGORITHM, config, config.seed(),
                    "java", Map.of(), Optional.empty());
            new Trainer(new SacTrainable(agent), env, Optional.of(evalEnv),
                    List.of(recorder(split), new CheckpointListener(run, provenance, 0, 2))).train();

            SacCheckpoints.Loaded loaded = SacCheckpoints.read(run);
            assertEquals(1_000, loaded.progress().envSteps());
            assertEquals(Pendulum.ID, loaded.envId());
            SacAgent restored = SacAgent.restore(loaded.config().withTotalSteps(1_600), loaded.observationSize(),
                    loaded.actionSpace(), loaded.agent());
            assertEquals(agent.alpha(), restored.alpha());
            assertEquals(agent.gradientSteps(), restored.gradientSteps());
            float[] observation = {0.3f, -0.9f, 1.5f};
            float[] expected = new float[1];
            float[] actual = new float[1];
            agent.greedy(observation, 1, expected);
            restored.greedy(observation, 1, actual);
            assertArrayEquals(expected, actual);
            // Same process, same envs: the episodes in flight go on.
            Trainer.resume(new SacTrainable(restored), loaded.progress(), env, Optional.of(evalEnv),
                    List.of(recorder(split)), true).train();
        }
        assertTrue(straight.size() > 10, straight::toString);
        assertEquals(straight, split);
    }

    @Test
    void theBestCheckpointHoldsTheBestEvaluationsPolicyAndDqnReadersRefuseIt() throws Exception {
        Path run = dir.resolve("best");
        try (VectorEnv env = pendulums(); VectorEnv evalEnv = pendulums()) {
            SacAgent agent = SacAgent.create(CONFIG, 3, new Pendulum().actionSpace());
            RunProvenance provenance = RunProvenance.of(env.spec(), SacCheckpoints.ALGORITHM, CONFIG, CONFIG.seed(),
                    "java", Map.of(), Optional.empty());
            TrainingListener.TrainingEnd end = new Trainer(new SacTrainable(agent), env, Optional.of(evalEnv),
                    List.of(new CheckpointListener(run, provenance, 400, 2))).train();
            SacCheckpoints.Loaded best = SacCheckpoints.read(Checkpoints.best(run).orElseThrow());
            assertEquals(end.bestEvaluation().envStep(), best.progress().envSteps());
            assertEquals(2, Checkpoints.list(run).size(), "kept the newest two");
            assertTrue(Checkpoints.readProvenanceJson(Checkpoints.best(run).get()).contains("\"sac\""));
        }
        IOException notDqn = assertThrows(IOException.class, () -> Checkpoints.read(run));
        assertTrue(notDqn.getMessage().contains("holds a SAC checkpoint, not a DQN one"), notDqn.getMessage());
    }

    private static VectorEnv pendulums() {
        return SyncVectorEnv.create(2, i -> new Pendulum());
    }

    private static TrainingListener recorder(List<Double> returns) {
        return new TrainingListener() {
            @Override
            public void onEpisodeEnd(EpisodeEnd episode) {
                returns.add(episode.episodeReturn());
            }

            @Override
            public void onEvaluation(EvaluationEnd evaluation) {
                returns.add(evaluation.meanReturn());
            }
        };
    }
}
