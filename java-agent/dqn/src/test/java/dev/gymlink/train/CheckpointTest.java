package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.protobuf.ProtoProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.run.SolveCriterion;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.train.listeners.CheckpointListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path runDir;

    /** Small but complete: learning, target updates, exploration decay and evaluations all happen. */
    private static DqnConfig config(long totalSteps) {
        return DqnConfig.defaults().toBuilder()
                .seed(42)
                .totalSteps(totalSteps)
                .numEnvs(3)
                .updates(new DqnConfig.UpdateSchedule.EveryEnvSteps(300, 8, 2))
                .targetNetwork(new DqnConfig.TargetNetwork.Hard(200))
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.05, 2_000))
                .solve(new SolveCriterion(Double.NaN, 3, 700, true))
                .backend(NetworkBackend.JAVA)
                .build();
    }

    private static SyncVectorEnv cartPoles(int copies) throws EnvException {
        return SyncVectorEnv.create(copies, i -> new CartPole());
    }

    @Test
    void resumingFromACheckpointEqualsNeverStopping() throws Exception {
        TrainingCheckpoint straight;
        try (SyncVectorEnv env = cartPoles(3); DqnAgent agent = DqnAgent.create(config(3_000), 4, 2)) {
            Trainer trainer = new Trainer(agent, env, Optional.of(new CartPole()), List.of());
            trainer.train();
            straight = trainer.checkpoint();
        }

        TrainingCheckpoint resumed;
        try (SyncVectorEnv env = cartPoles(3)) {
            try (DqnAgent agent = DqnAgent.create(config(1_500), 4, 2)) {
                Trainer first = new Trainer(agent, env, Optional.of(new CartPole()), List.of());
                first.train();
                Checkpoints.write(runDir, first.checkpoint(), provenance(first));
            }
            // Only what is on disk carries over; the live env continues mid-episode.
            TrainingCheckpoint loaded = Checkpoints.read(runDir).withTotalSteps(3_000);
            Trainer second = Trainer.resume(loaded, env, Optional.of(new CartPole()), List.of(), true);
            second.train();
            resumed = second.checkpoint();
            second.agent().close();
        }

        assertEquals(straight.progress().envSteps(), resumed.progress().envSteps());
        assertEquals(straight.progress().episodes(), resumed.progress().episodes());
        assertTrue(straight.agent().gradientSteps() > 500, "the run must have learned: " + straight.agent().gradientSteps());
        assertCheckpointsEqual(straight, resumed);
    }

    @Test
    void resumingOnAFreshEnvIsDeterministicAndKeepsCounting() throws Exception {
        try (SyncVectorEnv env = cartPoles(3); DqnAgent agent = DqnAgent.create(config(1_500), 4, 2)) {
            Trainer first = new Trainer(agent, env, Optional.of(new CartPole()), List.of());
            first.train();
            Checkpoints.write(runDir, first.checkpoint(), provenance(first));
        }
        TrainingCheckpoint a = resumeOnFreshEnv();
        TrainingCheckpoint b = resumeOnFreshEnv();
        assertCheckpointsEqual(a, b);
        assertEquals(3_000, a.progress().envSteps());
        TrainingCheckpoint saved = Checkpoints.read(runDir);
        assertTrue(a.progress().episodes() > saved.progress().episodes());
        assertTrue(a.agent().gradientSteps() > saved.agent().gradientSteps());
    }

    private TrainingCheckpoint resumeOnFreshEnv() throws Exception {
        try (SyncVectorEnv env = cartPoles(3)) {
            Trainer trainer = Trainer.resume(Checkpoints.read(runDir).withTotalSteps(3_000), env,
                    Optional.of(new CartPole()), List.of(), false);
            trainer.train();
            trainer.agent().close();
            return trainer.checkpoint();
        }
    }

    @Test
    void everyBetterEvaluationWritesTheBestCheckpointWhichPlayingARunSelects() throws Exception {
        List<TrainingListener.EvaluationEnd> evaluations = new java.util.ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEvaluation(EvaluationEnd evaluation) {
                evaluations.add(evaluation);
            }
        };
        DqnConfig config = config(6_000).toBuilder()
                .solve(new SolveCriterion(Double.NaN, 2, 600, false)).build();
        TrainingListener.TrainingEnd end;
        try (SyncVectorEnv env = cartPoles(3); DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            RunProvenance provenance = RunProvenance.of(new CartPole().spec(), config, agent.backend(), Map.of(),
                    Optional.empty());
            Trainer trainer = new Trainer(agent, env, Optional.of(new CartPole()),
                    List.of(recorder, new CheckpointListener(runDir, provenance, 0, 1)));
            end = trainer.train();
        }
        assertEquals(10, evaluations.size());
        TrainingListener.EvaluationEnd best = evaluations.get(0);
        for (TrainingListener.EvaluationEnd evaluation : evaluations) {
            assertEquals(evaluation.meanReturn() > best.meanReturn() || evaluation == evaluations.get(0),
                    evaluation.best(), "best means better than every earlier one: " + evaluation);
            best = evaluation.best() ? evaluation : best;
        }
        assertEquals(best, end.bestEvaluation());
        assertEquals(evaluations.get(evaluations.size() - 1), end.lastEvaluation());

        Path bestDir = Checkpoints.best(runDir).orElseThrow();
        TrainingCheckpoint saved = Checkpoints.read(bestDir);
        assertEquals(best.envStep(), saved.progress().envSteps(), "the state right after the best evaluation");
        assertEquals(best, saved.progress().bestEvaluation());
        JsonNode evaluation = new ObjectMapper().readTree(Checkpoints.readProvenanceJson(bestDir)).get("evaluation");
        assertEquals(Long.toString(best.envStep()), evaluation.get("env-step").asText());
        assertEquals(best.meanReturn(), evaluation.get("mean-return").asDouble());
        assertEquals(best.stdReturn(), evaluation.get("std-return").asDouble());

        // Playing a run picks best; latest and step-N pick those; training resumes from the latest.
        Path latest = Checkpoints.latest(runDir).orElseThrow();
        assertEquals(bestDir, Checkpoints.select(runDir));
        assertEquals(latest, Checkpoints.select(runDir.resolve(Checkpoints.LATEST)));
        assertEquals(latest, Checkpoints.select(latest));
        assertEquals(6_000, Checkpoints.read(runDir).progress().envSteps());
        assertEquals(List.of(latest), Checkpoints.list(runDir), "best is not a step checkpoint, nor pruned");
    }

    @Test
    void checkpointRoundTripsExactlyWithReadableStateAndProvenance() throws Exception {
        TrainingCheckpoint original;
        Path dir;
        try (SyncVectorEnv env = cartPoles(3); DqnAgent agent = DqnAgent.create(config(1_200), 4, 2)) {
            Trainer trainer = new Trainer(agent, env, Optional.of(new CartPole()), List.of());
            trainer.train();
            original = trainer.checkpoint();
            dir = Checkpoints.write(runDir, original, RunProvenance.of(new CartPole().spec(), agent.config(),
                    agent.backend(), Map.of("server", "0.1.0", "gymnasium", "1.3.0"), Optional.of("abc123")));
        }
        TrainingCheckpoint read = Checkpoints.read(dir);
        assertEquals(original.config(), read.config());
        assertEquals(original.networkSpec(), read.networkSpec());
        assertEquals(original.envId(), read.envId());
        assertCheckpointsEqual(original, read);
        assertEquals(Checkpoints.latest(runDir).orElseThrow(), dir);

        ObjectMapper json = new ObjectMapper();
        JsonNode state = json.readTree(dir.resolve(Checkpoints.STATE).toFile());
        assertEquals("defaults", state.at("/config/origin").asText());
        assertEquals(42, state.at("/config/seed").asLong());
        assertEquals(original.progress().envSteps(), state.at("/progress/envSteps").asLong());

        JsonNode provenance = json.readTree(Checkpoints.readProvenanceJson(dir));
        String text = provenance.toString();
        for (String expected : new String[] {"CartPole-v1", "475.0", "1.3.0", "abc123", "HUBER", "doubleDqn", "4.3.2", "3.25.8"}) {
            assertTrue(text.contains(expected), "provenance lacks " + expected + ": " + text);
        }
        try (Stream<Path> leftovers = Files.list(runDir.resolve(Checkpoints.CHECKPOINTS_DIR))) {
            assertEquals(List.of(dir), leftovers.toList(), "no temporary directories left behind");
        }
    }

    @Test
    void provenanceMarshalsThroughOlcutProtobufOnThisProtobufRuntime() {
        RunProvenance provenance = RunProvenance.of(new CartPole().spec(), DqnConfig.defaults(),
                NetworkBackend.JAVA, Map.of("gymnasium", "1.3.0"), Optional.empty());
        ProtoProvenanceSerialization serialization = new ProtoProvenanceSerialization(false);
        String bytes = serialization.serializeToString(ProvenanceUtil.marshalProvenance(provenance));
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(serialization.deserializeFromString(bytes));
        assertEquals(provenance, back);
        // Tribuo's own generated protobuf classes load and round-trip on the same runtime.
        org.tribuo.protos.core.ModelProto model = org.tribuo.protos.core.ModelProto.newBuilder()
                .setClassName("x").setVersion(1).build();
        assertEquals(model, assertDoesNotThrowParse(model.toByteArray()));
    }

    private static org.tribuo.protos.core.ModelProto assertDoesNotThrowParse(byte[] bytes) {
        try {
            return org.tribuo.protos.core.ModelProto.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listenerKeepsTheNewestCheckpointsAndFinishesWithTheLastStep() throws Exception {
        DqnConfig config = config(2_400);
        try (SyncVectorEnv env = cartPoles(3); DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            CheckpointListener listener = new CheckpointListener(runDir,
                    RunProvenance.of(env.spec(), config, NetworkBackend.JAVA, Map.of(), Optional.empty()), 1_000, 2);
            Trainer trainer = new Trainer(agent, env, Optional.empty(), List.of(listener));
            trainer.train();
            List<Path> kept = Checkpoints.list(runDir);
            assertEquals(2, kept.size(), "kept " + kept);
            assertEquals(kept.get(1), Checkpoints.latest(runDir).orElseThrow());
            assertEquals(trainer.envSteps(), Checkpoints.read(runDir).progress().envSteps());
            assertTrue(kept.get(0).getFileName().toString().startsWith("step-00000020"), kept.toString());
        }
    }

    @Test
    void readingSomethingElseFailsWithAMessageNamingThePath() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> Checkpoints.read(runDir));
        assertTrue(missing.getMessage().contains(runDir.toString()), missing.getMessage());
    }

    private static RunProvenance provenance(Trainer trainer) {
        return RunProvenance.of(new CartPole().spec(), trainer.agent().config(), trainer.agent().backend(), Map.of(),
                Optional.empty());
    }

    static void assertCheckpointsEqual(TrainingCheckpoint expected, TrainingCheckpoint actual) {
        DqnAgent.State e = expected.agent();
        DqnAgent.State a = actual.agent();
        assertArrayEquals(e.onlineParameters(), a.onlineParameters(), "online weights");
        assertArrayEquals(e.targetParameters(), a.targetParameters(), "target weights");
        assertEquals(e.optimizer().step(), a.optimizer().step(), "Adam step");
        assertArrayEquals(e.optimizer().firstMoment(), a.optimizer().firstMoment(), "Adam first moment");
        assertArrayEquals(e.optimizer().secondMoment(), a.optimizer().secondMoment(), "Adam second moment");
        assertEquals(e.replay(), a.replay(), "replay contents");
        assertArrayEquals(e.randomStates(), a.randomStates(), "random generator states");
        assertEquals(e.gradientSteps(), a.gradientSteps());
        assertEquals(e.replays(), a.replays());
        assertEquals(e.recentLoss(), a.recentLoss());
        TrainingCheckpoint.Progress ep = expected.progress();
        TrainingCheckpoint.Progress ap = actual.progress();
        assertEquals(ep.envSteps(), ap.envSteps());
        assertEquals(ep.episodes(), ap.episodes());
        assertEquals(ep.solvedAtStep(), ap.solvedAtStep());
        // Everything but the wall time, which differs between a run and its resumed twin.
        assertEquals(withoutTime(ep.lastEvaluation()), withoutTime(ap.lastEvaluation()), "last evaluation");
        assertEquals(withoutTime(ep.bestEvaluation()), withoutTime(ap.bestEvaluation()), "best evaluation");
        assertArrayEquals(ep.recentReturns(), ap.recentReturns());
        assertArrayEquals(ep.observations(), ap.observations());
        assertArrayEquals(ep.episodeReturns(), ap.episodeReturns());
        assertArrayEquals(ep.episodeLengths(), ap.episodeLengths());
        assertNotEquals(0, e.onlineParameters().length);
    }

    private static TrainingListener.EvaluationEnd withoutTime(TrainingListener.EvaluationEnd e) {
        return e == null ? null : new TrainingListener.EvaluationEnd(e.envStep(), e.episodes(), e.meanReturn(),
                e.stdReturn(), e.minReturn(), e.maxReturn(), e.threshold(), e.solved(), e.best(), 0);
    }
}
