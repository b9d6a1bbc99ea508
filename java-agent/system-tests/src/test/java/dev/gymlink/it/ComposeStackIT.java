package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.TrainingCheckpoint;
import dev.gymlink.cli.plot.LearningCurve;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.lifecycle.Startable;

/**
 * The repository's {@code docker-compose.yml} as users run it: compose brings up the env server
 * and the trainer, the trainer waits for the server to report healthy, trains CartPole-v1 against
 * it over the compose network and leaves a run directory (config, metrics, learning curve,
 * checkpoint) in the mounted runs directory.
 *
 * <p>Compose runs on the host: the v2 plugin ({@code docker compose}) where the Docker CLI has it,
 * else v1 ({@code docker-compose}); the test prints which. The images are the project's, built from
 * the checkout before compose starts ({@link ProjectImages}), so compose neither pulls nor builds.
 * A second compose file, written by the test, only mounts a temporary directory as the runs
 * directory and runs the trainer as the owner of that directory.
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

    /** The images compose would otherwise build or pull; their first build may take minutes. */
    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    static void buildImages() {
        String tag = imageTag(EnvServerContainer.imageName());
        ProjectImages.ensureServer(ProjectImages.SERVER_REPOSITORY + ":" + tag);
        ProjectImages.ensureTrainer(ProjectImages.TRAINER_REPOSITORY + ":" + tag);
    }

    @Test
    void composeUpTrainsAgainstTheServerAndWritesARunDirectory() throws Exception {
        String tag = imageTag(EnvServerContainer.imageName());
        Path runs = Files.createDirectory(work.resolve("runs"));
        List<File> files = List.of(composeFile(), writeOverride(runs));
        Map<String, String> env = Map.of(
                "GYMLINK_TAG", tag,
                "GYMLINK_TRAIN_ARGS", "--steps " + STEP_BUDGET + " --seed " + SEED
                        + " --backend java --checkpoint-every 1000");

        Compose compose = Compose.onThisMachine();
        System.out.println("ComposeStackIT: compose " + compose.description());
        ComposeStack stack = compose.stack(files, env);
        try {
            stack.start();
            // Both compose versions' first instance of a service: trainer-1 (v2) or trainer_1 (v1).
            ContainerState trainer = stack.service("trainer")
                    .orElseThrow(() -> new AssertionError("compose started no trainer container (" + compose.description()
                            + ")"));
            int exitCode = awaitExit(trainer);
            String trainerLog = trainer.getLogs();
            assertEquals(0, exitCode, "the trainer failed (" + compose.description() + "); its log:\n" + trainerLog);
            assertRunDirectory(runs, trainerLog);
        } finally {
            stack.stop();
        }
    }

    /** The compose this machine runs: the v2 plugin first, else v1; the test fails (not skips) without either. */
    private record Compose(boolean v2, String version) {

        static Compose onThisMachine() {
            Optional<String> plugin = versionOf("docker", "compose", "version", "--short");
            if (plugin.isPresent()) {
                return new Compose(true, plugin.get());
            }
            Optional<String> standalone = versionOf("docker-compose", "version", "--short");
            if (standalone.isPresent()) {
                return new Compose(false, standalone.get());
            }
            throw new AssertionError("neither 'docker compose' (v2) nor 'docker-compose' (v1) runs here; the compose"
                    + " test needs one (Docker's compose plugin, or Debian/Ubuntu: apt-get install docker-compose)");
        }

        String description() {
            return v2 ? "v2 (docker compose " + version + ")" : "v1 (docker-compose " + version + ")";
        }

        /** v2 names containers {@code project-service-1}, v1 {@code project_service_1}: Testcontainers' class for each. */
        ComposeStack stack(List<File> files, Map<String, String> env) {
            if (v2) {
                ComposeContainer stack = new ComposeContainer(files).withLocalCompose(true).withPull(false).withEnv(env);
                return new ComposeStack(stack, stack::getContainerByServiceName);
            }
            DockerComposeContainer<?> stack = new DockerComposeContainer<>(files).withLocalCompose(true).withPull(false)
                    .withEnv(env);
            return new ComposeStack(stack, stack::getContainerByServiceName);
        }

        private static Optional<String> versionOf(String... command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Optional.empty();
                }
                return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** A compose stack of either version: start, stop, and a service's first container. */
    private record ComposeStack(Startable stack, Function<String, Optional<ContainerState>> services) {
        void start() {
            stack.start();
        }

        void stop() {
            stack.stop();
        }

        Optional<ContainerState> service(String name) {
            return services.apply(name);
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
        assertEquals("env_step,episode,return,length,terminated,epsilon,loss,steps_per_second,mean_return_100",
                metrics.get(0));
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

    /** The repository's compose file. */
    private static File composeFile() {
        return ProjectImages.repositoryRoot().resolve("docker-compose.yml").toFile();
    }

    private static String imageTag(String image) {
        int colon = image.lastIndexOf(':');
        if (colon < 0 || image.indexOf('/', colon) >= 0) {
            throw new IllegalArgumentException(EnvServerContainer.IMAGE_PROPERTY + " must name a tagged image such as "
                    + EnvServerContainer.DEFAULT_IMAGE + ", got " + image);
        }
        return image.substring(colon + 1);
    }
}
