package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.TrainingCheckpoint;
import dev.gymlink.cli.plot.LearningCurve;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The repository's {@code docker-compose.yml} as users run it: compose brings up the env server
 * and the trainer, the trainer waits for the server to report healthy, trains CartPole-v1 against
 * it over the compose network and leaves a run directory (config, metrics, learning curve,
 * checkpoint) in the mounted runs directory.
 *
 * <p>Compose v1 ({@code docker-compose}) runs on the host ({@code withLocalCompose}); the images
 * are the locally built ones (never pulled, never built here). A second compose file, written by
 * the test, only mounts a temporary directory as the runs directory and runs the trainer as the
 * owner of that directory.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ComposeStackIT {

    private static final long STEP_BUDGET = 3_000;
    private static final long SEED = 1;
    private static final Duration TRAINER_TIMEOUT = Duration.ofMinutes(3);
    private static final String RUNS_IN_CONTAINER = "/gymlink/runs";

    @TempDir
    Path work;

    @Test
    void composeUpTrainsAgainstTheServerAndWritesARunDirectory() throws Exception {
        String tag = imageTag(EnvServerContainer.imageName());
        requireLocalImage("gymlink/env-server:" + tag);
        requireLocalImage("gymlink/trainer:" + tag);
        Path runs = Files.createDirectory(work.resolve("runs"));
        File override = writeOverride(runs);

        DockerComposeContainer<?> stack = new DockerComposeContainer<>(List.of(composeFile(), override))
                .withLocalCompose(true)
                .withPull(false)
                .withEnv(Map.of(
                        "GYMLINK_TAG", tag,
                        "GYMLINK_TRAIN_ARGS", "--steps " + STEP_BUDGET + " --seed " + SEED
                                + " --backend java --checkpoint-every 1000"));
        try {
            stack.start();
            ContainerState trainer = stack.getContainerByServiceName("trainer_1")
                    .orElseThrow(() -> new AssertionError("compose started no trainer container"));
            int exitCode = awaitExit(trainer);
            String trainerLog = trainer.getLogs();
            assertEquals(0, exitCode, "the trainer failed; its log:\n" + trainerLog);
            assertRunDirectory(runs, trainerLog);
        } finally {
            stack.stop();
        }
    }

    private static void assertRunDirectory(Path runs, String trainerLog) throws IOException {
        List<Path> runDirs;
        try (Stream<Path> entries = Files.list(runs)) {
            runDirs = entries.filter(Files::isDirectory).toList();
        }
        assertEquals(1, runDirs.size(), "one run directory in " + runs + ", found " + runDirs + "; trainer log:\n"
                + trainerLog);
        Path run = runDirs.get(0);
        assertTrue(run.getFileName().toString().startsWith("CartPole-v1-"), run.toString());

        String config = Files.readString(run.resolve("config.json"));
        assertTrue(config.contains("\"remote\""), "trained on the remote backend: " + config);
        assertTrue(config.contains("env-server:50051"), "trained against the compose service: " + config);

        List<String> metrics = Files.readAllLines(run.resolve(MetricsCsvListener.FILE_NAME));
        assertEquals(MetricsCsvListener.HEADER, metrics.get(0));
        assertTrue(metrics.size() > 10, "episodes recorded in metrics.csv: " + metrics.size() + " lines");
        assertTrue(Files.size(run.resolve(LearningCurve.FILE_NAME)) > 0, "learning curve drawn");

        assertTrue(Checkpoints.latest(run).isPresent(), "a checkpoint in " + run);
        TrainingCheckpoint checkpoint = Checkpoints.read(run);
        assertEquals("CartPole-v1", checkpoint.envId());
        assertEquals(SEED, checkpoint.config().seed());
        assertEquals(STEP_BUDGET, checkpoint.config().totalSteps());
        long stepsDone = checkpoint.progress().envSteps();
        assertTrue(stepsDone > 0 && stepsDone <= STEP_BUDGET + checkpoint.config().numEnvs(),
                "the final checkpoint's env steps: " + stepsDone);
        String provenance = Checkpoints.readProvenanceJson(run);
        assertTrue(provenance.contains("gymnasium"), "the server's Gymnasium version is recorded: " + provenance);
    }

    private static int awaitExit(ContainerState container) {
        DockerClient docker = DockerClientFactory.instance().client();
        Integer code = docker.waitContainerCmd(container.getContainerId()).start()
                .awaitStatusCode(TRAINER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (code == null) {
            fail("the trainer did not finish within " + TRAINER_TIMEOUT + "; its log:\n" + container.getLogs());
        }
        return code;
    }

    /** Mounts {@code runs} instead of {@code ./runs} (compose merges volumes by container path). */
    private File writeOverride(Path runs) throws IOException {
        Object owner = Files.getAttribute(runs, "unix:uid");
        Object group = Files.getAttribute(runs, "unix:gid");
        String yaml = """
                services:
                  trainer:
                    user: "%s:%s"
                    volumes:
                      - %s:%s
                """.formatted(owner, group, runs.toAbsolutePath(), RUNS_IN_CONTAINER);
        Path file = work.resolve("docker-compose.test-runs.yml");
        Files.writeString(file, yaml);
        return file.toFile();
    }

    /** The repository's compose file, found from the working directory (the module or the root). */
    private static File composeFile() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; dir != null && up < 4; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("docker-compose.yml");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("java-agent"))) {
                return candidate.toFile();
            }
        }
        throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    private static String imageTag(String image) {
        int colon = image.lastIndexOf(':');
        if (colon < 0 || image.indexOf('/', colon) >= 0) {
            throw new IllegalArgumentException(EnvServerContainer.IMAGE_PROPERTY + " must name a tagged image such as "
                    + EnvServerContainer.DEFAULT_IMAGE + ", got " + image);
        }
        return image.substring(colon + 1);
    }

    /** Without the image compose would try to build it, which needs a registry: fail clearly instead. */
    private static void requireLocalImage(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            fail("image " + image + " is not built; build the project's images first (bash .ci/run does, or"
                    + " CI_PHASES=images bash .ci/run)");
        }
    }
}
