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
    void dqnOnlyFlagsAndUnknownSacSettingsAreRefused() {
        CliRun backend = CliRun.of("train", "--env", "Pendulum-v1", "--backend", "java", "--out",
                dir.resolve("c").toString());
        assertEquals(2, backend.exitCode(), backend.toString());
        assertTrue(backend.err().contains("--backend is DQN's"), backend.toString());

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
