package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.testkit.PythonEnvServer;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertEquals(MetricsCsvListener.HEADER, metrics.get(0));
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
        assertEquals(1, rows.stream().filter(MetricsCsvListener.HEADER::equals).count());
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
        assertOneLineError(CliRun.of("train", "--env", "Pendulum-v1", "--server", PythonEnvServer.shared().target(),
                "--out", out.toString()), Gymlink.EXIT_FAILURE, "choose an env with Discrete actions");
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
