package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gymlink.testkit.PythonEnvServer;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gymlink train} with SAC, end to end and in-process on the built-in Java Pendulum: the
 * algorithm chosen from the action space and said, the run directory with its checkpoints (best
 * included), eval and --resume of a SAC run, --set on SAC's settings, and the bad combinations that
 * must fail with a message naming what to do.
 */
@Timeout(300)
class SacTrainCommandTest {

    @TempDir
    Path dir;

    @Test
    void pendulumTrainsWithSacChosenFromItsBoxActions() throws Exception {
        Path run = dir.resolve("pendulum");
        CliRun train = CliRun.of("train", "--env", "Pendulum-v1", "--steps", "2000", "--seed", "3",
                "--set", "solve.evalEverySteps=1000", "--set", "solve.evalEpisodes=2", "--set", "tau=0.01",
                "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("algorithm: SAC, for Pendulum-v1's Box(-2.0, 2.0, (1,), float32) actions"),
                train.toString());
        assertTrue(train.out().contains("(env on the built-in Java env)"), train.toString());
        assertTrue(train.out().contains("next: gymlink eval --checkpoint " + run), train.toString());

        JsonNode config = new ObjectMapper().readTree(run.resolve(RunDirectory.CONFIG_FILE).toFile());
        assertFalse(config.has("dqn"), config.toString());
        assertEquals("Pendulum-v1", config.path("sac").path("origin").asText());
        assertEquals(0.01, config.path("sac").path("tau").asDouble());
        assertEquals(3, config.path("sac").path("seed").asLong());
        List<String> metrics = Files.readAllLines(run.resolve(MetricsCsvListener.FILE_NAME));
        assertEquals("env_step,episode,return,length,terminated,alpha,loss,steps_per_second,mean_return_100",
                metrics.get(0), "SAC reports its entropy coefficient as alpha, not as epsilon");
        assertTrue(train.out().matches("(?s).*episodes \\d+ avg100 \\S+ alpha \\d+\\.\\d{3} steps/s.*"), train.toString());
        assertFalse(train.out().contains("epsilon"), train.toString());
        byte[] events;
        try (var files = Files.list(run)) {
            events = Files.readAllBytes(files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents."))
                    .findFirst().orElseThrow());
        }
        String tags = new String(events, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(tags.contains("train/alpha") && !tags.contains("train/epsilon"), "TensorBoard tags alpha as alpha");
        assertEquals(11, metrics.size(), "ten 200-step episodes in 2,000 steps: " + metrics);
        List<String> evaluations = Files.readAllLines(run.resolve(EvaluationsCsvListener.FILE_NAME));
        assertEquals(3, evaluations.size(), "evaluations at 1,000 and 2,000 steps: " + evaluations);
        assertTrue(Files.exists(run.resolve("learning-curve.png")));

        assertTrue(Checkpoints.best(run).isPresent(), "the best evaluation's policy is kept");
        assertEquals("sac", Checkpoints.algorithm(Checkpoints.latest(run).orElseThrow()));
        String provenance = Files.readString(Checkpoints.best(run).get().resolve(Checkpoints.PROVENANCE));
        assertTrue(provenance.contains("\"algorithm\"") && provenance.contains("\"sac\""), provenance);

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--episodes", "4");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("checkpoint " + Checkpoints.best(run).get()), eval.toString());
        assertTrue(eval.out().matches("(?s).*mean -?\\d+\\.\\d+ \\+- .* over 4 episodes.*"), eval.toString());

        CliRun resume = CliRun.of("train", "--resume", run.toString(), "--steps", "2400");
        assertEquals(0, resume.exitCode(), resume.toString());
        assertTrue(resume.out().contains("resuming " + run + " at env step 2,000"), resume.toString());
        assertEquals(13, Files.readAllLines(run.resolve(MetricsCsvListener.FILE_NAME)).size(),
                "twelve episodes after resuming to 2,400 steps");

        Path gif = dir.resolve("local.gif");
        CliRun play = CliRun.of("play", "--checkpoint", run.toString(), "--record", gif.toString(), "--every", "20",
                "--scale", "0.2");
        assertEquals(0, play.exitCode(), play.toString());
        assertTrue(play.out().contains("played Pendulum-v1 on the built-in Java env"), play.toString());
        assertTrue(Files.size(gif) > 1_000, "a GIF of 11 frames");
    }

    @Test
    void aRemoteRunLearnsWhatTheLocalRunLearnsAndPlaysOnTheServer() throws Exception {
        List<String> common = List.of("train", "--env", "Pendulum-v1", "--steps", "1000", "--seed", "4", "--num-envs",
                "2", "--set", "batchSize=64", "--set", "solve.evalEverySteps=500", "--set", "solve.evalEpisodes=2");
        Path local = dir.resolve("local");
        Path remote = dir.resolve("remote");
        CliRun localRun = CliRun.of(with(common, "--out", local.toString()));
        assertEquals(0, localRun.exitCode(), localRun.toString());
        CliRun remoteRun = CliRun.of(with(common, "--server", PythonEnvServer.shared().target(), "--out",
                remote.toString()));
        assertEquals(0, remoteRun.exitCode(), remoteRun.toString());
        assertTrue(remoteRun.out().contains("(env on server "), remoteRun.toString());
        assertTrue(remoteRun.out().contains("algorithm: SAC"), remoteRun.toString());

        // Observations agree bit for bit; a reward may differ in its last bits (Pendulum's javadoc).
        List<String> localRows = Files.readAllLines(local.resolve(MetricsCsvListener.FILE_NAME));
        List<String> remoteRows = Files.readAllLines(remote.resolve(MetricsCsvListener.FILE_NAME));
        assertEquals(1 + 4, localRows.size(), "four 200-step episodes in 1,000 steps: " + localRows);
        assertEquals(localRows.size(), remoteRows.size(), remoteRows.toString());
        for (int k = 1; k < localRows.size(); k++) {
            String[] a = localRows.get(k).split(",");
            String[] b = remoteRows.get(k).split(",");
            assertEquals(a[0] + "," + a[1], b[0] + "," + b[1], "env step and episode of row " + k);
            assertEquals(Double.parseDouble(a[2]), Double.parseDouble(b[2]), 1e-6, "return of row " + k);
        }

        Path gif = dir.resolve("remote.gif");
        CliRun play = CliRun.of("play", "--checkpoint", remote.toString(), "--record", gif.toString(), "--every",
                "10", "--scale", "0.25");
        assertEquals(0, play.exitCode(), play.toString());
        assertTrue(play.out().contains("played Pendulum-v1 on server "), play.toString());
        assertTrue(play.out().contains("in 200 steps (episode ended)"), play.toString());
        assertTrue(Files.size(gif) > 1_000, "a GIF of 21 frames");
    }

    private static String[] with(List<String> common, String... more) {
        List<String> args = new java.util.ArrayList<>(common);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void theWrongAlgorithmForAnActionSpaceIsRefusedWithTheOtherOneNamed() {
        CliRun sacOnCartPole = CliRun.of("train", "--algo", "sac", "--steps", "1000", "--out",
                dir.resolve("a").toString());
        assertEquals(1, sacOnCartPole.exitCode(), sacOnCartPole.toString());
        assertTrue(sacOnCartPole.err().contains("SAC needs a Box action space; CartPole-v1 has Discrete(2)"),
                sacOnCartPole.toString());
        assertTrue(sacOnCartPole.err().contains("--algo dqn"), sacOnCartPole.toString());

        CliRun dqnOnPendulum = CliRun.of("train", "--algo", "dqn", "--env", "Pendulum-v1", "--steps", "1000",
                "--out", dir.resolve("b").toString());
        assertEquals(1, dqnOnPendulum.exitCode(), dqnOnPendulum.toString());
        assertTrue(dqnOnPendulum.err().contains("--algo sac"), dqnOnPendulum.toString());
    }

    @Test
    void aSacRunsConfigFileRepeatsTheRun() throws Exception {
        Path run = dir.resolve("first");
        CliRun train = CliRun.of("train", "--env", "Pendulum-v1", "--steps", "1000", "--seed", "11",
                "--set", "solve.evalEverySteps=500", "--set", "solve.evalEpisodes=2", "--set", "learningStarts=300",
                "--checkpoint-every", "0", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());

        // No --env, --seed or --set: all of it comes from the file.
        Path again = dir.resolve("again");
        CliRun repeat = CliRun.of("train", "--config", run.resolve(RunDirectory.CONFIG_FILE).toString(),
                "--checkpoint-every", "0", "--out", again.toString());
        assertEquals(0, repeat.exitCode(), repeat.toString());
        assertTrue(repeat.out().contains("algorithm: SAC, for Pendulum-v1's"), repeat.toString());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(run.resolve(RunDirectory.CONFIG_FILE).toFile()).get("sac"),
                json.readTree(again.resolve(RunDirectory.CONFIG_FILE).toFile()).get("sac"));
        assertEquals(TrainCommandTest.withoutColumn(run.resolve(MetricsCsvListener.FILE_NAME), "steps_per_second"),
                TrainCommandTest.withoutColumn(again.resolve(MetricsCsvListener.FILE_NAME), "steps_per_second"));
        assertEquals(TrainCommandTest.withoutColumn(run.resolve(EvaluationsCsvListener.FILE_NAME), "wall_seconds"),
                TrainCommandTest.withoutColumn(again.resolve(EvaluationsCsvListener.FILE_NAME), "wall_seconds"));
        assertEquals(6, Files.readAllLines(again.resolve(MetricsCsvListener.FILE_NAME)).size(), "five episodes");

        // Part of a sac object keeps the preset's other settings; flags still apply on top.
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "{\"envId\": \"Pendulum-v1\", \"sac\": {\"tau\": 0.02, \"batchSize\": 64}}");
        Path third = dir.resolve("third");
        CliRun configured = CliRun.of("train", "--config", partial.toString(), "--steps", "400", "--set", "seed=5",
                "--checkpoint-every", "0", "--out", third.toString());
        assertEquals(0, configured.exitCode(), configured.toString());
        JsonNode sac = json.readTree(third.resolve(RunDirectory.CONFIG_FILE).toFile()).get("sac");
        assertEquals(0.02, sac.get("tau").asDouble());
        assertEquals(64, sac.get("batchSize").asInt());
        assertEquals(5, sac.get("seed").asLong());
        assertEquals(400, sac.get("totalSteps").asLong());
        assertEquals(dev.gymlink.agent.sac.SacPresets.bundled().config("Pendulum-v1").learningRate(),
                sac.get("learningRate").asDouble());
    }

    @Test
    void gsdeIsSetFromTheCommandLineRecordedAndRepeatedExactly() throws Exception {
        Path run = dir.resolve("sde");
        CliRun train = CliRun.of("train", "--env", "Pendulum-v1", "--steps", "1200", "--seed", "4",
                "--set", "sde.enabled=true", "--set", "sde.logStdInit=-2", "--set", "trainFrequency=8",
                "--set", "gradientSteps=8", "--set", "learningStarts=200", "--set", "solve.evalEverySteps=600",
                "--set", "solve.evalEpisodes=2", "--checkpoint-every", "0", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("gSDE (log std from -2.0, noise redrawn each training round)"), train.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode sde = json.readTree(run.resolve(RunDirectory.CONFIG_FILE).toFile()).path("sac").path("sde");
        assertTrue(sde.path("enabled").asBoolean(), sde.toString());
        assertEquals(-2.0, sde.path("logStdInit").asDouble());
        assertEquals(-1, sde.path("sampleFrequency").asInt());

        Path again = dir.resolve("sde-again");
        CliRun repeat = CliRun.of("train", "--config", run.resolve(RunDirectory.CONFIG_FILE).toString(),
                "--checkpoint-every", "0", "--out", again.toString());
        assertEquals(0, repeat.exitCode(), repeat.toString());
        assertEquals(TrainCommandTest.withoutColumn(run.resolve(MetricsCsvListener.FILE_NAME), "steps_per_second"),
                TrainCommandTest.withoutColumn(again.resolve(MetricsCsvListener.FILE_NAME), "steps_per_second"));
        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--episodes", "2");
        assertEquals(0, eval.exitCode(), eval.toString());

        // A config.json written before gSDE existed has no sde object: it reads as gSDE off.
        Path old = dir.resolve("old.json");
        Files.writeString(old, "{\"envId\": \"Pendulum-v1\", \"sac\": {\"tau\": 0.02, \"sde\": null}}");
        Path oldRun = dir.resolve("old");
        CliRun fromOld = CliRun.of("train", "--config", old.toString(), "--steps", "300", "--checkpoint-every", "0",
                "--out", oldRun.toString());
        assertEquals(0, fromOld.exitCode(), fromOld.toString());
        assertFalse(json.readTree(oldRun.resolve(RunDirectory.CONFIG_FILE).toFile()).path("sac").path("sde")
                .path("enabled").asBoolean());

        CliRun badFrequency = CliRun.of("train", "--env", "Pendulum-v1", "--set", "sde.sampleFrequency=0",
                "--out", dir.resolve("bad").toString());
        assertEquals(2, badFrequency.exitCode(), badFrequency.toString());
        assertTrue(badFrequency.err().contains("sde.sampleFrequency must be positive or -1"), badFrequency.toString());
    }

    @Test
    void aConfigFileOfTheOtherAlgorithmOrOfBothIsRefused() throws Exception {
        Path dqnFile = dir.resolve("dqn.json");
        Files.writeString(dqnFile, "{\"envId\": \"Pendulum-v1\", \"dqn\": {\"gamma\": 0.9}}");
        CliRun dqnOnSac = CliRun.of("train", "--config", dqnFile.toString(), "--out", dir.resolve("f").toString());
        assertEquals(2, dqnOnSac.exitCode(), dqnOnSac.toString());
        assertTrue(dqnOnSac.err().contains("holds a DQN config, but this run is SAC (Pendulum-v1; --algo chooses)"),
                dqnOnSac.toString());

        Path sacFile = dir.resolve("sac.json");
        Files.writeString(sacFile, "{\"envId\": \"CartPole-v1\", \"sac\": {\"tau\": 0.01}}");
        CliRun sacOnDqn = CliRun.of("train", "--config", sacFile.toString(), "--out", dir.resolve("g").toString());
        assertEquals(2, sacOnDqn.exitCode(), sacOnDqn.toString());
        assertTrue(sacOnDqn.err().contains("holds a SAC config, but this run is DQN (CartPole-v1; --algo chooses)"),
                sacOnDqn.toString());

        Path both = dir.resolve("both.json");
        Files.writeString(both, "{\"dqn\": {}, \"sac\": {}}");
        CliRun twoAlgorithms = CliRun.of("train", "--env", "Pendulum-v1", "--config", both.toString(), "--out",
                dir.resolve("h").toString());
        assertTrue(twoAlgorithms.exitCode() != 0, twoAlgorithms.toString());
        assertTrue(twoAlgorithms.err().contains("has both a dqn and a sac object"), twoAlgorithms.toString());

        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"envId\": \"Pendulum-v1\", \"sac\": {\"tua\": 0.01}}");
        CliRun unknown = CliRun.of("train", "--config", typo.toString(), "--out", dir.resolve("i").toString());
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("unknown SAC setting 'tua'"), unknown.toString());
    }

    @Test
    void dqnOnlyFlagsAndUnknownSacSettingsAreRefused() throws Exception {
        CliRun preset = CliRun.of("train", "--env", "Pendulum-v1", "--preset", "tutorial", "--out",
                dir.resolve("c").toString());
        assertEquals(2, preset.exitCode(), preset.toString());
        assertTrue(preset.err().contains("--preset is DQN's"), preset.toString());

        // --backend names SAC's network backend as it does DQN's.
        Path onJava = dir.resolve("java");
        CliRun backend = CliRun.of("train", "--env", "Pendulum-v1", "--backend", "java", "--steps", "300",
                "--checkpoint-every", "0", "--out", onJava.toString());
        assertEquals(0, backend.exitCode(), backend.toString());
        assertEquals("JAVA", new ObjectMapper().readTree(onJava.resolve(RunDirectory.CONFIG_FILE).toFile())
                .path("sac").path("backend").asText());
        CliRun both = CliRun.of("train", "--env", "Pendulum-v1", "--backend", "java", "--set", "backend=nd4j",
                "--out", dir.resolve("both").toString());
        assertEquals(2, both.exitCode(), both.toString());
        assertTrue(both.err().contains("--set backend and --backend both given"), both.toString());

        CliRun typo = CliRun.of("train", "--env", "Pendulum-v1", "--set", "exploration.decaySteps=10", "--out",
                dir.resolve("d").toString());
        assertEquals(2, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("unknown SAC setting 'exploration.decaySteps'"), typo.toString());
        assertTrue(typo.err().contains("entropy.initial"), "lists the valid keys: " + typo);

        CliRun bad = CliRun.of("train", "--env", "Pendulum-v1", "--set", "tau=2", "--out", dir.resolve("e").toString());
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("tau must be in (0, 1], got 2.0"), bad.toString());
    }
}
