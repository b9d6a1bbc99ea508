package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.GreedyPolicy;
import dev.gymlink.train.TrainingCheckpoint;
import dev.gymlink.train.sac.SacCheckpoints;
import dev.gymlink.train.sac.SacTrainable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of commands that use a trained agent ({@code eval}, {@code play}): which checkpoint,
 * and where its env runs (by default where it was trained).
 */
final class TrainedAgentOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--checkpoint", paramLabel = "RUN_DIR", required = true,
            description = "Run directory printed by 'gymlink train': its best checkpoint (the policy of the best"
                    + " greedy evaluation during training) when it has one, else its latest. RUN_DIR/latest,"
                    + " RUN_DIR/checkpoints/step-N or RUN_DIR/checkpoints/best choose one.")
    Path checkpoint;

    @Option(names = "--env-backend", paramLabel = "auto|local|remote",
            description = "Where the env runs (default: where the agent was trained).")
    EnvBackend envBackend;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = ServerAddress.Converter.class,
            description = "Env server for a remote env (default: the run's first server, else GYMLINK_SERVER or"
                    + " localhost:50051).")
    ServerAddress server;

    /** A restored agent's greedy policy, and how to release the agent. */
    record Policy(GreedyPolicy greedy, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * A trained agent and the env it plays, resolved from the checkpoint and the flags.
     *
     * @param checkpoint a DQN checkpoint, or null for a SAC one
     * @param sac a SAC checkpoint, or null for a DQN one
     */
    record Loaded(Path directory, TrainingCheckpoint checkpoint, SacCheckpoints.Loaded sac, String envId,
            TunedHyperparameters.EnvSettings envSettings, EnvBackend backend, List<ServerAddress> servers) {

        /** The restored agent's greedy policy; closing it frees what the agent holds (ND4J memory). */
        Policy restorePolicy() {
            if (checkpoint == null) {
                SacAgent agent = sac.restoreAgent();
                return new Policy(new SacTrainable(agent), agent::close);
            }
            DqnAgent agent = checkpoint.restoreAgent();
            return new Policy(GreedyPolicy.of(agent), agent::close);
        }

        Algorithm algorithm() {
            return checkpoint != null ? Algorithm.DQN : Algorithm.SAC;
        }

        /** The training loop's state when the checkpoint was written. */
        TrainingCheckpoint.Progress progress() {
            return checkpoint != null ? checkpoint.progress() : sac.progress();
        }


        /** Which checkpoint this is, for the first line a command prints. */
        String describe() {
            TrainingCheckpoint.Progress progress = progress();
            String what;
            if (directory.getFileName() != null && directory.getFileName().toString().equals(Checkpoints.BEST)
                    && progress.bestEvaluation() != null && progress.bestEvaluation().envStep() == progress.envSteps()) {
                what = "the best greedy evaluation during training, " + TrainCommand.describe(progress.bestEvaluation());
            } else {
                what = String.format(Locale.ROOT, "env step %,d", progress.envSteps());
            }
            return "checkpoint " + directory + ": " + what;
        }
    }

    Loaded load() {
        if (!Files.exists(checkpoint)) {
            throw new CliException("no such run directory: " + checkpoint + " (pass the directory '" + Gymlink.programName() + " train' printed)");
        }
        TrainingCheckpoint trained = null;
        SacCheckpoints.Loaded trainedSac = null;
        Path directory;
        try {
            directory = Checkpoints.select(checkpoint);
            if (Checkpoints.algorithm(directory).equals(SacCheckpoints.ALGORITHM)) {
                trainedSac = SacCheckpoints.read(directory);
            } else {
                trained = Checkpoints.read(directory);
            }
        } catch (IOException e) {
            throw new CliException("cannot read a checkpoint from " + checkpoint + ": " + e.getMessage());
        }
        Optional<RunSettings> settings = runSettings();
        String envId = trained != null ? trained.envId() : trainedSac.envId();
        EnvBackend backend;
        if (envBackend != null) {
            backend = envBackend.resolve(envId, server != null);
        } else if (server != null) {
            backend = EnvBackend.REMOTE;
        } else {
            backend = settings.map(s -> EnvBackend.valueOf(s.envBackend().toUpperCase(Locale.ROOT)))
                    .orElse(EnvBackend.AUTO.resolve(envId, false));
        }
        List<ServerAddress> servers;
        if (server != null) {
            servers = List.of(server);
        } else if (settings.isPresent() && !settings.get().servers().isEmpty()) {
            servers = List.of(ServerAddress.parse(settings.get().servers().get(0)));
        } else {
            String fromEnvironment = System.getenv("GYMLINK_SERVER");
            servers = List.of(ServerAddress.parse(fromEnvironment != null && !fromEnvironment.isBlank()
                    ? fromEnvironment.split(",")[0] : "localhost:" + ServerAddress.DEFAULT_PORT));
        }
        TunedHyperparameters.EnvSettings envSettings = settings.map(RunSettings::envSettings)
                .orElseGet(() -> TunedHyperparameters.bundled().envSettings(envId));
        return new Loaded(directory, trained, trainedSac, envId, envSettings, backend, servers);
    }

    /**
     * The run's config.json: in the directory given, or in the run directory around a checkpoint
     * directory or a {@code latest} file.
     */
    private Optional<RunSettings> runSettings() {
        Path given = checkpoint.toAbsolutePath().normalize();
        if (Files.isRegularFile(given) && given.getParent() != null) {
            given = given.getParent();
        }
        Path checkpointsDir = given.getParent();
        Path runDir = checkpointsDir != null && checkpointsDir.getFileName() != null
                && checkpointsDir.getFileName().toString().equals(Checkpoints.CHECKPOINTS_DIR)
                ? checkpointsDir.getParent() : given;
        if (runDir == null || !Files.isRegularFile(runDir.resolve(RunDirectory.CONFIG_FILE))) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunDirectory.readConfig(runDir));
        } catch (IOException e) {
            throw new CliException("cannot read " + runDir.resolve(RunDirectory.CONFIG_FILE) + ": " + e.getMessage());
        }
    }
}
