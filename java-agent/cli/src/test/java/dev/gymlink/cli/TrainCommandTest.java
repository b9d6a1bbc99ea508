package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.testkit.PythonEnvServer;
import dev.gymlink.train.Checkpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer as a user runs it, end to end and in-process: train, eval and play on the built-in
 * CartPole and against real Gymnasium servers, and the bad input that must fail cleanly.
 */
@Timeout(300)
class TrainCommandTest {

    /** DQN's metrics.csv header, spelled out: it must not change under readers of existing runs. */
    static final String DQN_METRICS_HEADER = "env_step,episode,return,length,terminated,epsilon,loss,steps_per_second,mean_return_100";

    @TempDir
    Path dir;

    @Test
    void defaultTrainingSolvesCartPoleAndEvalConfirmsIt() throws Exception {
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("solved CartPole-v1 at env step "), train.toString());
        assertTrue(train.out().contains("run directory: " + run), train.toString());
        assertTrue(train.out().contains("(env on the built-in Java env)"), train.toString());

        List<String> metrics = Files.readAllLines(run.resolve(MetricsCsvListener.FILE_NAME));
        assertEquals(DQN_METRICS_HEADER, metrics.get(0));
        assertTrue(metrics.size() > 50, "one row per episode, got " + metrics.size());
        BufferedImage curve = ImageIO.read(run.resolve("learning-curve.png").toFile());
        assertNotNull(curve);
        assertTrue(curve.getWidth() >= 600 && curve.getHeight() >= 300, curve.getWidth() + "x" + curve.getHeight());
        assertTrue(Checkpoints.latest(run).isPresent(), "a checkpoint is written at the end");
        assertTrue(Files.exists(Checkpoints.latest(run).get().resolve(Checkpoints.PROVENANCE)));
        String config = Files.readString(run.resolve(RunDirectory.CONFIG_FILE));
        assertTrue(config.contains("\"envBackend\" : \"local\""), config);
        // `--preset default` resolves to the tuned hyperparameters of the env being trained.
        assertTrue(config.contains("\"origin\" : \"CartPole-v1\""), config);

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--episodes", "20");
        assertEquals(0, eval.exitCode(), eval.toString());
        Matcher mean = Pattern.compile("mean (\\d+\\.\\d) ").matcher(eval.out());
        assertTrue(mean.find(), eval.toString());
        assertTrue(Double.parseDouble(mean.group(1)) >= 475, eval.toString());

        Path gif = dir.resolve("local.gif");
        CliRun play = CliRun.of("play", "--checkpoint", run.toString(), "--record", gif.toString(),
                "--every", "10", "--scale", "0.25");
        assertEquals(0, play.exitCode(), play.toString());
        assertGif(gif, 150, 100);
    }

    @Test
    void evalPlaysTheBestCheckpointAndConfigRepeatsTheRunExactly() throws Exception {
        Path run = dir.resolve("best");
        CliRun train = CliRun.of("train", "--steps", "12000", "--set", "solve.evalEverySteps=1000", "--set",
                "solve.evalEpisodes=3", "--set", "solve.stopWhenSolved=false", "--checkpoint-every", "0",
                "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());

        // The best checkpoint is the state after the evaluation with the highest mean (the first of equals).
        List<String> evaluations = Files.readAllLines(run.resolve(EvaluationsCsvListener.FILE_NAME));
        assertEquals(EvaluationsCsvListener.HEADER, evaluations.get(0));
        assertEquals(13, evaluations.size(), "one row per evaluation, every 1,000 steps: " + evaluations);
        long bestStep = -1;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (String row : evaluations.subList(1, evaluations.size())) {
            String[] cells = row.split(",");
            if (Double.parseDouble(cells[1]) > bestMean) {
                bestMean = Double.parseDouble(cells[1]);
                bestStep = Long.parseLong(cells[0]);
            }
        }
        Path best = run.resolve("checkpoints").resolve("best");
        assertEquals(bestStep, Checkpoints.read(best).progress().envSteps());
        JsonNode evaluation = new ObjectMapper().readTree(Checkpoints.readProvenanceJson(best)).path("evaluation");
        assertEquals(Long.toString(bestStep), evaluation.path("env-step").asText(), evaluation.toString());
        assertEquals(3, evaluation.path("episodes").asInt(), evaluation.toString());

        // The summary: the best and the final evaluation, and what eval will play.
        assertTrue(train.out().contains(String.format("best evaluation:  env step %,d, mean ", bestStep)), train.toString());
        assertTrue(train.out().contains("final evaluation: env step 12,000, mean "), train.toString());
        assertTrue(train.out().contains("next: gymlink eval --checkpoint " + run + "   (plays checkpoints"
                + java.io.File.separator + "best, the best evaluation's policy)"), train.toString());

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--episodes", "2");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().startsWith(String.format("checkpoint %s: the best greedy evaluation during training,"
                + " env step %,d, mean ", best, bestStep)), eval.toString());
        assertTrue(eval.out().matches("(?s).*mean \\d+\\.\\d \\+- \\d+\\.\\d+  min .*"), eval.toString());
        CliRun latest = CliRun.of("eval", "--checkpoint", run.resolve("latest").toString(), "--episodes", "2");
        assertEquals(0, latest.exitCode(), latest.toString());
        assertTrue(latest.out().startsWith("checkpoint " + run.resolve("checkpoints").resolve("step-0000012000")
                + ": env step 12,000"), latest.toString());

        // The same config file gives the same run: every metric but the timing ones is identical.
        Path again = dir.resolve("again");
        CliRun repeat = CliRun.of("train", "--config", run.resolve(RunDirectory.CONFIG_FILE).toString(),
                "--checkpoint-every", "0", "--out", again.toString());
        assertEquals(0, repeat.exitCode(), repeat.toString());
        assertEquals(withoutColumn(run.resolve(MetricsCsvListener.FILE_NAME), "steps_per_second"),
                withoutColumn(again.resolve(MetricsCsvListener.FILE_NAME), "steps_per_second"));
        assertEquals(withoutColumn(run.resolve(EvaluationsCsvListener.FILE_NAME), "wall_seconds"),
                withoutColumn(again.resolve(EvaluationsCsvListener.FILE_NAME), "wall_seconds"));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(run.resolve(RunDirectory.CONFIG_FILE).toFile()).get("dqn"),
                json.readTree(again.resolve(RunDirectory.CONFIG_FILE).toFile()).get("dqn"));

        // Resuming continues from the latest checkpoint, not the best.
        CliRun resumed = CliRun.of("train", "--resume", run.toString(), "--steps", "13000");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.out().contains("resuming " + run + " at env step 12,000"), resumed.toString());
    }

    @Test
    void settingsComeFromSetFlagsAndConfigFilesAndBadOnesAreRefused() throws Exception {
        Path run = dir.resolve("set");
        CliRun train = CliRun.of("train", "--steps", "1000", "--set", "learningRate=1e-3", "--set",
                "hiddenSizes=16,8", "--set", "exploration.decaySteps=500", "--checkpoint-every", "0", "--out",
                run.toString());
        assertEquals(0, train.exitCode(), train.toString());
        JsonNode dqn = new ObjectMapper().readTree(run.resolve(RunDirectory.CONFIG_FILE).toFile()).get("dqn");
        assertEquals(0.001, dqn.get("learningRate").asDouble());
        assertEquals("[16,8]", dqn.get("hiddenSizes").toString());
        assertEquals(500, dqn.get("exploration").get("decaySteps").asLong());

        // A partial config file: what it names changes, the rest is the preset's.
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "{\"envId\": \"CartPole-v1\", \"dqn\": {\"gamma\": 0.9, \"solve\": {\"evalEpisodes\": 2}}}");
        Path fromFile = dir.resolve("from-file");
        CliRun configured = CliRun.of("train", "--config", partial.toString(), "--steps", "1000", "--set", "seed=5",
                "--checkpoint-every", "0", "--out", fromFile.toString());
        assertEquals(0, configured.exitCode(), configured.toString());
        JsonNode merged = new ObjectMapper().readTree(fromFile.resolve(RunDirectory.CONFIG_FILE).toFile()).get("dqn");
        assertEquals(0.9, merged.get("gamma").asDouble());
        assertEquals(2, merged.get("solve").get("evalEpisodes").asInt());
        assertEquals(5, merged.get("seed").asLong());
        assertEquals(64, merged.get("batchSize").asInt(), "left out: the preset's");

        Path out = dir.resolve("never");
        assertOneLineError(CliRun.of("train", "--set", "learningrate=1e-3", "--out", out.toString()),
                Gymlink.EXIT_USAGE, "unknown DQN setting 'learningrate'; valid keys: origin, hiddenSizes, weightInit");
        assertOneLineError(CliRun.of("train", "--set", "hiddenSizes=64,wide", "--out", out.toString()),
                Gymlink.EXIT_USAGE, "bad value for DQN setting hiddenSizes: '64,wide', expected a whole number; valid keys: ");
        assertOneLineError(CliRun.of("train", "--set", "gamma=1.5", "--out", out.toString()), Gymlink.EXIT_USAGE,
                "gamma must be in [0, 1], got 1.5; valid keys: ");
        assertOneLineError(CliRun.of("train", "--set", "seed=1", "--seed", "2", "--out", out.toString()),
                Gymlink.EXIT_USAGE, "--set seed and --seed both given");
        assertOneLineError(CliRun.of("train", "--env-kwarg", "max_episode_steps=-3", "--out", out.toString()),
                Gymlink.EXIT_USAGE, "max_episode_steps must be a positive whole number");
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"dqn\": {\"gama\": 0.9}}");
        assertOneLineError(CliRun.of("train", "--config", typo.toString(), "--out", out.toString()), Gymlink.EXIT_USAGE,
                "unknown DQN setting 'gama'; valid keys: ");
        Files.writeString(typo, "{\"environment\": \"CartPole-v1\"}");
        assertOneLineError(CliRun.of("train", "--config", typo.toString(), "--out", out.toString()),
                Gymlink.EXIT_FAILURE, "has the unknown field 'environment'");
        assertOneLineError(CliRun.of("train", "--resume", run.toString(), "--set", "gamma=0.5"), Gymlink.EXIT_USAGE,
                "--set cannot change when resuming");
        assertFalse(Files.exists(out), "refused settings leave no run directory");

        CliRun help = CliRun.of("train", "--help");
        assertTrue(help.out().contains("--set=KEY=VALUE") && help.out().contains("section 'Hyperparameters'"),
                help.toString());
    }

    /** The CSV's rows with one column removed, to compare runs apart from their timing. */
    /** The rows of a CSV file without one column (a timing one, which depends on the machine). */
    static List<String> withoutColumn(Path csv, String column) throws Exception {
        List<String> rows = Files.readAllLines(csv);
        int index = Arrays.asList(rows.get(0).split(",", -1)).indexOf(column);
        assertTrue(index >= 0, column + " in " + rows.get(0));
        return rows.stream().map(row -> {
            List<String> cells = new java.util.ArrayList<>(Arrays.asList(row.split(",", -1)));
            cells.remove(index);
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void remoteTrainingSpreadsTheEnvCopiesOverEveryServer() throws Exception {
        try (PythonEnvServer first = PythonEnvServer.start(); PythonEnvServer second = PythonEnvServer.start()) {
            Path run = dir.resolve("remote");
            CliRun train = CliRun.of("train", "--env-backend", "remote", "--server",
                    first.target() + "," + second.target(), "--num-envs", "4", "--steps", "3000",
                    "--checkpoint-every", "0", "--out", run.toString());
            assertEquals(0, train.exitCode(), train.toString());
            assertTrue(train.out().contains("(env on 2 servers " + first.target() + ", " + second.target() + ")"),
                    train.toString());
            for (PythonEnvServer server : List.of(first, second)) {
                assertTrue(server.recentOutput().contains("start: env=CartPole-v1 num_envs=2"),
                        "each server runs a vector session of 2 copies:\n" + server.recentOutput());
            }
            assertTrue(Files.readAllLines(run.resolve(MetricsCsvListener.FILE_NAME)).size() > 10);
            assertTrue(Checkpoints.latest(run).isPresent());
            String provenance = Checkpoints.readProvenanceJson(run);
            assertTrue(provenance.contains("gymnasium"), provenance);

            Path gif = dir.resolve("remote.gif");
            CliRun play = CliRun.of("play", "--checkpoint", run.toString(), "--record", gif.toString(),
                    "--max-steps", "30", "--scale", "0.5");
            assertEquals(0, play.exitCode(), play.toString());
            assertTrue(play.out().contains("on server " + first.target()), play.toString());
            assertGif(gif, 300, 200);
        }
    }

    @Test
    void aRunResumesFromItsCheckpointAndKeepsOneMetricsFile() throws Exception {
        Path run = dir.resolve("resumable");
        CliRun first = CliRun.of("train", "--steps", "2000", "--checkpoint-every", "1000", "--out", run.toString());
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("not solved"), first.toString());
        assertTrue(Checkpoints.latest(run).get().endsWith("step-0000002000"));

        CliRun again = CliRun.of("train", "--resume", run.toString());
        assertEquals(Gymlink.EXIT_FAILURE, again.exitCode(), again.toString());
        assertTrue(again.err().contains("--steps"), again.toString());

        CliRun resumed = CliRun.of("train", "--resume", run.toString(), "--steps", "4000");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.out().contains("resuming " + run + " at env step 2,000"), resumed.toString());
        assertTrue(Checkpoints.latest(run).get().endsWith("step-0000004000"));
        List<String> rows = Files.readAllLines(run.resolve(MetricsCsvListener.FILE_NAME));
        assertEquals(1, rows.stream().filter(DQN_METRICS_HEADER::equals).count());
        long previous = 0;
        for (String row : rows.subList(1, rows.size())) {
            long step = Long.parseLong(row.substring(0, row.indexOf(',')));
            assertTrue(step >= previous, "env steps only grow: " + row);
            previous = step;
        }
        assertTrue(previous > 2000, "episodes after the resume were appended");

        Path older = run.resolve("checkpoints").resolve("step-0000002000");
        if (Files.isDirectory(older)) {
            CliRun evalOlder = CliRun.of("eval", "--checkpoint", older.toString(), "--episodes", "2");
            assertEquals(0, evalOlder.exitCode(), evalOlder.toString());
            assertTrue(evalOlder.out().contains("(trained 2,000 env steps) on the built-in Java env"), evalOlder.toString());
        }

        CliRun changed = CliRun.of("train", "--resume", run.toString(), "--steps", "6000", "--seed", "3");
        assertEquals(Gymlink.EXIT_USAGE, changed.exitCode(), changed.toString());
        assertTrue(changed.err().contains("--seed cannot change when resuming"), changed.toString());
    }

    @Test
    void anEnvPresetsKwargsReachTheServerAndTheRunRemembersThem() throws Exception {
        Path run = dir.resolve("frozen");
        CliRun train = CliRun.of("train", "--env", "FrozenLake-v1", "--server", PythonEnvServer.shared().target(),
                "--steps", "1000", "--checkpoint-every", "0", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());
        String config = Files.readString(run.resolve(RunDirectory.CONFIG_FILE));
        assertTrue(config.contains("\"is_slippery\" : false"), config);
        assertTrue(config.contains("\"envBackend\" : \"remote\""), config);

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--episodes", "3");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("on server " + PythonEnvServer.shared().target()), eval.toString());

        // --env-kwarg goes over the preset's kwargs: the slippery lake, as asked.
        Path slippery = dir.resolve("slippery");
        CliRun kwarg = CliRun.of("train", "--env", "FrozenLake-v1", "--server", PythonEnvServer.shared().target(),
                "--env-kwarg", "is_slippery=true", "--env-kwarg", "map_name=4x4", "--steps", "600",
                "--checkpoint-every", "0", "--out", slippery.toString());
        assertEquals(0, kwarg.exitCode(), kwarg.toString());
        String slipperyConfig = Files.readString(slippery.resolve(RunDirectory.CONFIG_FILE));
        assertTrue(slipperyConfig.contains("\"is_slippery\" : true") && slipperyConfig.contains("\"map_name\" : \"4x4\""),
                slipperyConfig);
        assertOneLineError(CliRun.of("train", "--env", "FrozenLake-v1", "--server", PythonEnvServer.shared().target(),
                "--env-kwarg", "no_such_kwarg=1", "--steps", "600", "--out", dir.resolve("never").toString()),
                Gymlink.EXIT_FAILURE, "no_such_kwarg");
    }

    @Test
    void badInputFailsWithOneLineSayingWhatToDo() throws Exception {
        Path out = dir.resolve("never");
        assertOneLineError(CliRun.of("train", "--env-backend", "cloud", "--out", out.toString()), Gymlink.EXIT_USAGE,
                "expected one of [AUTO, LOCAL, REMOTE]");
        assertOneLineError(CliRun.of("train", "--preset", "fast", "--out", out.toString()), Gymlink.EXIT_USAGE,
                "'fast'");
        assertOneLineError(CliRun.of("train", "--num-envs", "0", "--out", out.toString()), Gymlink.EXIT_USAGE,
                "numEnvs must be in 1..4096, got 0");
        assertOneLineError(CliRun.of("train", "--env", "Acrobot-v1", "--env-backend", "local", "--out", out.toString()),
                Gymlink.EXIT_FAILURE, "the envs that can: CartPole-v1");
        // Without --algo dqn, Pendulum's Box actions choose SAC (SacTrainCommandTest).
        assertOneLineError(CliRun.of("train", "--algo", "dqn", "--env", "Pendulum-v1", "--server",
                PythonEnvServer.shared().target(), "--out", out.toString()), Gymlink.EXIT_FAILURE,
                "train it with SAC (--algo sac, or leave --algo out)");
        String unreachable = "127.0.0.1:" + ServerCommandsTest.freePort();
        assertOneLineError(CliRun.of("train", "--env-backend", "remote", "--server", unreachable, "--out",
                out.toString()), Gymlink.EXIT_FAILURE, unreachable);
        assertOneLineError(CliRun.of("train", "--env", "NoSuchEnv-v9", "--server", PythonEnvServer.shared().target(),
                "--out", out.toString()), Gymlink.EXIT_FAILURE, "NoSuchEnv-v9");
        assertOneLineError(CliRun.of("eval", "--checkpoint", dir.resolve("missing").toString()), Gymlink.EXIT_FAILURE,
                "no such run directory");
        assertFalse(Files.exists(out), "failed commands leave no run directory");
    }

    private static void assertOneLineError(CliRun run, int expectedCode, String expectedText) {
        assertEquals(expectedCode, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, "one line, no stack trace:\n" + run);
        assertTrue(run.err().startsWith("gymlink: "), run.toString());
        assertTrue(run.err().contains(expectedText), run.toString());
    }

    private static void assertGif(Path gif, int width, int height) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream input = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(input);
            assertTrue(reader.getNumImages(true) > 1, "an animation, not a still");
            BufferedImage frame = reader.read(0);
            assertEquals(width, frame.getWidth());
            assertEquals(height, frame.getHeight());
        } finally {
            reader.dispose();
        }
    }
}
