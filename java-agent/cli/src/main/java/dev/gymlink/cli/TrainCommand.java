package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.RunProvenance;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingCheckpoint;
import dev.gymlink.train.TrainingListener;
import dev.gymlink.train.listeners.CheckpointListener;
import dev.gymlink.cli.plot.LearningCurve;
import dev.gymlink.cli.plot.LearningCurveListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import dev.gymlink.train.listeners.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gymlink train}: trains a DQN agent and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a DQN agent. With no flags: CartPole-v1 on the built-in Java env, until a greedy"
                + " evaluation reaches the env's reward threshold (475) or the step budget is spent.",
            "Writes a run directory: config.json (every resolved setting), metrics.csv, learning-curve.png"
                    + " and checkpoints/."})
final class TrainCommand implements Callable<Integer> {

    /** Seconds between learning-curve redraws during a run. */
    private static final long CURVE_REDRAW_SECONDS = 30;
    /** Checkpoints kept per run: the newest and the one before, in case the newest is being written. */
    private static final int CHECKPOINTS_KEPT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--env", paramLabel = "ID", defaultValue = "CartPole-v1",
            description = "Gymnasium env id with Discrete actions (default: ${DEFAULT-VALUE}).")
    String envId;

    @Option(names = "--env-backend", paramLabel = "auto|local|remote", defaultValue = "auto",
            description = "Where the env runs: local = built-in Java port (CartPole-v1), remote = a gymlink env"
                    + " server; auto = local when the env has a Java port and no --server is given"
                    + " (default: ${DEFAULT-VALUE}).")
    EnvBackend envBackend;

    @Option(names = "--server", paramLabel = "HOST:PORT", split = ",",
            converter = ServerAddress.Converter.class, defaultValue = "${env:GYMLINK_SERVER:-localhost:50051}",
            description = "Env server(s) for remote envs; the env copies are spread over them round robin, and a"
                    + " host name with several addresses counts as several servers (default: ${DEFAULT-VALUE};"
                    + " env var GYMLINK_SERVER).")
    List<ServerAddress> servers;

    @Option(names = "--num-envs", paramLabel = "N",
            description = "Env copies stepped together (default: the preset's).")
    Integer numEnvs;

    @Option(names = "--preset", paramLabel = "default|tutorial", defaultValue = "default",
            description = "DQN config to start from: default (the env's tuned hyperparameters, else the Double DQN tuned for"
                    + " CartPole-v1) or tutorial (the classic Keras tutorial's DQN) (default: ${DEFAULT-VALUE}).")
    Preset preset;

    @Option(names = "--backend", paramLabel = "auto|java|nd4j",
            description = "Q-network implementation: java (plain arrays, fastest for small nets), nd4j (native"
                    + " ops) or auto (default: the preset's).")
    DqnConfig.Backend backend;

    @Option(names = "--seed", paramLabel = "S", description = "Root seed of the run (default: the preset's).")
    Long seed;

    @Option(names = "--steps", paramLabel = "N",
            description = "Env-step budget, summed over copies (default: the preset's); with --resume the new"
                    + " total.")
    Long steps;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory to write (default: runs/<env>-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its latest checkpoint, with its config.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "10000",
            description = "Env steps between checkpoints; one is always written at the end (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Override
    public Integer call() throws EnvException, IOException {
        if (checkpointEvery < 0) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        return resume != null ? resumeRun() : newRun();
    }

    private int newRun() throws EnvException, IOException {
        DqnConfig config = resolveConfig();
        EnvBackend resolvedBackend = envBackend.resolve(envId, given("--server"));
        RunDirectory run = new RunDirectory(out != null ? out
                : RunDirectory.fresh(Path.of("runs"), envId, LocalDateTime.now()).path());
        if (Files.exists(run.config())) {
            throw new CliException(run.path() + " already holds a run: continue it with --resume " + run.path()
                    + ", or choose another --out");
        }
        List<String> serverTargets = resolvedBackend == EnvBackend.REMOTE
                ? servers.stream().map(ServerAddress::target).toList() : List.of();
        RunSettings settings = RunSettings.of(Gymlink.version(), spec.commandLine().getParseResult().originalArgs(),
                envId, TunedHyperparameters.bundled().envSettings(envId), resolvedBackend.flagValue(), serverTargets,
                LocalDateTime.now().toString(), config);
        return train(run, settings, Optional.empty());
    }

    private int resumeRun() throws EnvException, IOException {
        for (String fixed : List.of("--env", "--preset", "--backend", "--num-envs", "--seed", "--out")) {
            if (given(fixed)) {
                throw new ParameterException(spec.commandLine(), fixed + " cannot change when resuming: the run keeps"
                        + " the settings in " + resume.resolve(RunDirectory.CONFIG_FILE)
                        + " (start a new run to change them)");
            }
        }
        RunSettings saved = RunDirectory.readConfig(resume);
        TrainingCheckpoint checkpoint;
        try {
            checkpoint = Checkpoints.read(resume);
        } catch (IOException e) {
            throw new CliException("cannot resume " + resume + ": " + e.getMessage());
        }
        if (steps != null) {
            checkpoint = checkpoint.withTotalSteps(steps);
        }
        long done = checkpoint.progress().envSteps();
        if (done >= checkpoint.config().totalSteps()) {
            throw new CliException(resume + " already used its budget of " + checkpoint.config().totalSteps()
                    + " env steps: pass --steps with a larger total to train further");
        }
        if (checkpoint.config().solve().stopWhenSolved() && checkpoint.progress().solvedAtStep() >= 0) {
            throw new CliException(resume + " was solved at env step " + checkpoint.progress().solvedAtStep()
                    + " and stops when solved; evaluate it with '" + Gymlink.programName() + " eval --checkpoint " + resume + "'");
        }
        envId = checkpoint.envId();
        EnvBackend savedBackend = EnvBackend.valueOf(saved.envBackend().toUpperCase(Locale.ROOT));
        EnvBackend resolvedBackend = given("--env-backend") ? envBackend.resolve(envId, given("--server")) : savedBackend;
        if (!given("--server") && !saved.servers().isEmpty()) {
            servers = saved.servers().stream().map(ServerAddress::parse).toList();
        }
        RunSettings settings = RunSettings.of(Gymlink.version(), spec.commandLine().getParseResult().originalArgs(),
                envId, saved.envSettings(), resolvedBackend.flagValue(),
                resolvedBackend == EnvBackend.REMOTE ? servers.stream().map(ServerAddress::target).toList() : List.of(),
                saved.startedAt(), checkpoint.config());
        return train(new RunDirectory(resume), settings, Optional.of(checkpoint));
    }

    private int train(RunDirectory run, RunSettings settings, Optional<TrainingCheckpoint> resumeFrom)
            throws EnvException, IOException {
        PrintWriter printer = spec.commandLine().getOut();
        DqnConfig config = settings.dqn();
        EnvBackend resolvedBackend = EnvBackend.valueOf(settings.envBackend().toUpperCase(Locale.ROOT));
        try (EnvConnections envs = EnvConnections.open(envId, settings.envSettings(), resolvedBackend, servers)) {
            VectorEnv env = envs.vector(config.numEnvs());
            Env evalEnv = envs.single(false);
            int actionCount = (int) ((Discrete) env.singleActionSpace()).n();
            run.create();
            if (resumeFrom.isEmpty()) {
                // A resumed run keeps the record of how it was started.
                run.writeConfig(settings);
            }
            List<LearningCurve.Point> earlierEpisodes = List.of();
            if (resumeFrom.isPresent()) {
                MetricsCsvListener.dropRowsAfter(run.metrics(), resumeFrom.get().progress().envSteps());
                if (Files.exists(run.metrics())) {
                    earlierEpisodes = LearningCurve.readMetricsCsv(run.metrics());
                }
                printer.printf(Locale.ROOT, "resuming %s at env step %,d (env on %s)%n", run.path(),
                        resumeFrom.get().progress().envSteps(), envs.where());
            } else {
                printer.printf(Locale.ROOT, "run directory: %s (env on %s)%n", run.path(), envs.where());
            }
            printer.flush();

            // The return that counts as solved: the config's own, else the env's registered one.
            OptionalDouble threshold = Double.isNaN(config.solve().threshold()) ? env.spec().rewardThreshold()
                    : OptionalDouble.of(config.solve().threshold());
            MetricsCsvListener metrics = new MetricsCsvListener(run.metrics());
            int observationSize = env.singleObservationSpace().flatDim();
            DqnConfig.Backend usedBackend = QNetworks.resolve(config.backend(),
                    NetworkSpec.of(config, observationSize, actionCount), config.batchSize());
            RunProvenance provenance = RunProvenance.of(env.spec(), config, usedBackend, envs.serverVersions(),
                    RunProvenance.gitCommit(Path.of("")));
            List<TrainingListener> listeners = List.of(
                    new ProgressListener(printer, Terminal.isInteractive()),
                    metrics,
                    new LearningCurveListener(run.learningCurve(), threshold, earlierEpisodes, CURVE_REDRAW_SECONDS),
                    new CheckpointListener(run.path(), provenance, checkpointEvery, CHECKPOINTS_KEPT));
            Trainer trainer = resumeFrom.isPresent()
                    ? Trainer.resume(resumeFrom.get(), env, Optional.of(evalEnv), listeners, false)
                    : new Trainer(DqnAgent.create(config, observationSize, actionCount), env, Optional.of(evalEnv),
                            listeners);
            try (DqnAgent agent = trainer.agent()) {
                TrainingListener.TrainingEnd end;
                try (GracefulStop stop = GracefulStop.install(trainer)) {
                    try {
                        end = trainer.train();
                    } catch (RuntimeException e) {
                        throw stoppedEarly(e, trainer, run);
                    }
                    if (trainer.stopRequested()) {
                        printer.println("interrupted at env step " + String.format(Locale.ROOT, "%,d", end.envSteps())
                                + "; continue with " + Gymlink.programName() + " train --resume " + run.path());
                    }
                    report(printer, end, trainer, threshold, run);
                }
            } finally {
                metrics.close();
            }
        }
        return 0;
    }

    /** A failure mid-run, with where the run can be continued from when a checkpoint exists. */
    private static CliException stoppedEarly(Exception failure, Trainer trainer, RunDirectory run) throws IOException {
        Optional<Path> checkpoint = Checkpoints.latest(run.path());
        String resumeHint = checkpoint.isPresent()
                ? "; the run keeps its checkpoint " + run.path().relativize(checkpoint.get()) + ": continue with "
                        + Gymlink.programName() + " train --resume " + run.path()
                : "";
        return new CliException("training stopped at env step " + trainer.envSteps() + ": "
                + ErrorReport.describe(failure) + resumeHint, failure);
    }

    private void report(PrintWriter printer, TrainingListener.TrainingEnd end, Trainer trainer, OptionalDouble threshold,
            RunDirectory run) throws IOException {
        String totals = String.format(Locale.ROOT, "%,d env steps, %,d episodes, %.1f s", end.envSteps(),
                end.episodes(), end.seconds());
        if (end.solved()) {
            printer.printf(Locale.ROOT, "solved %s at env step %,d: greedy evaluation mean %s >= %s (%s)%n", envId,
                    end.solvedAtStep(), Numbers.score(trainer.lastEvaluationMean()), Numbers.plain(threshold.orElse(Double.NaN)), totals);
        } else {
            printer.printf(Locale.ROOT, "not solved: mean return of the last 100 episodes %s, last greedy evaluation"
                            + " %s%s (%s); train longer with --resume %s --steps N%n", Numbers.score(end.meanReturn100()),
                    Numbers.score(trainer.lastEvaluationMean()),
                    threshold.isPresent() ? ", threshold " + Numbers.plain(threshold.getAsDouble()) : "", totals, run.path());
        }
        printer.printf(Locale.ROOT, "run directory: %s%n", run.path());
        printer.printf(Locale.ROOT, "  %s, %s, %s, %s%n", RunDirectory.CONFIG_FILE, MetricsCsvListener.FILE_NAME,
                LearningCurve.FILE_NAME, Checkpoints.latest(run.path()).map(p -> run.path().relativize(p).toString())
                        .orElse(Checkpoints.CHECKPOINTS_DIR + "/"));
        printer.printf(Locale.ROOT, "next: %s eval --checkpoint %s%n", Gymlink.programName(), run.path());
        printer.flush();
    }

    private DqnConfig resolveConfig() {
        DqnConfig.Builder builder = preset.config(envId).toBuilder();
        if (numEnvs != null) {
            builder.numEnvs(numEnvs);
        }
        if (backend != null) {
            builder.backend(backend);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        if (steps != null) {
            builder.totalSteps(steps);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid training settings: " + e.getMessage());
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

}
