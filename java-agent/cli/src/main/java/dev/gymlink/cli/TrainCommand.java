package dev.gymlink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.DqnConfigOverrides;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.agent.sac.SacPresets;
import dev.gymlink.env.Box;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Space;
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
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import dev.gymlink.train.listeners.ProgressListener;
import dev.gymlink.train.listeners.TensorBoardListener;
import dev.gymlink.train.sac.SacCheckpoints;
import dev.gymlink.train.sac.SacTrainable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gymlink train}: trains a DQN or SAC agent and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a DQN agent (Discrete actions) or a SAC agent (bounded Box actions). With no flags:"
                + " DQN on CartPole-v1 on the built-in Java env, until a greedy evaluation reaches the env's reward"
                + " threshold (475) or the step budget is spent. '--env Pendulum-v1' trains SAC on the built-in"
                + " Java Pendulum.",
            "Writes a run directory: config.json (every resolved setting), metrics.csv, evaluations.csv, a"
                    + " TensorBoard event file, learning-curve.png and checkpoints/ (best: the best greedy evaluation's"
                    + " policy).",
            "Settings come from --preset, then --config, then each --set, then --seed/--steps/--num-envs/--backend."},
        footer = {"", "Every --set key (the fields of the dqn object in a run's config.json) with its meaning: README.md,"
                + " section 'Hyperparameters'; a wrong key prints the list too."})
final class TrainCommand implements Callable<Integer> {

    /** Seconds between learning-curve redraws during a run. */
    private static final long CURVE_REDRAW_SECONDS = 30;
    /** Checkpoints kept per run: the newest and the one before, in case the newest is being written. */
    private static final int CHECKPOINTS_KEPT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--env", paramLabel = "ID", defaultValue = "CartPole-v1",
            description = "Gymnasium env id, with Discrete actions (DQN) or bounded Box actions (SAC)"
                    + " (default: ${DEFAULT-VALUE}).")
    String envId;

    @Option(names = "--algo", paramLabel = "auto|dqn|sac", defaultValue = "auto",
            description = "Agent: dqn (Discrete actions), sac (bounded Box actions), or auto: chosen from the env's"
                    + " action space, and said in the output (default: ${DEFAULT-VALUE}).")
    Algorithm algo;

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

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--num-envs", paramLabel = "N",
            description = "Env copies stepped together (default: the preset's).")
    Integer numEnvs;

    @Option(names = "--preset", paramLabel = "default|tutorial", defaultValue = "default",
            description = "DQN config to start from: default (the env's tuned hyperparameters, else the Double DQN tuned for"
                    + " CartPole-v1) or tutorial (the classic Keras tutorial's DQN) (default: ${DEFAULT-VALUE}).")
    Preset preset;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Start from a JSON file like a run's config.json: its envId, envKwargs, maxEpisodeSteps and"
                    + " dqn or sac (any part; keys left out keep the preset's). 'train --config runs/X/config.json'"
                    + " repeats run X, DQN or SAC; other flags still apply on top.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Change one DQN setting, repeatable: a field of the dqn object in config.json, e.g."
                    + " learningRate=1e-3, hiddenSizes=128,128, gamma=0.98, exploration.decaySteps=20000,"
                    + " updates.trainFrequency=4, solve.evalEpisodes=100 (nested objects also take JSON).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--env-kwarg", paramLabel = "KEY=VALUE",
            description = "Keyword argument for the env's constructor (gymnasium.make), repeatable, over the"
                    + " preset's: e.g. is_slippery=true, map_name=8x8; max_episode_steps=N sets the time limit."
                    + " Values read as JSON when they can (true, 8, 0.5, [1,2]), else as text.")
    Map<String, String> envKwargs = new LinkedHashMap<>();

    @Option(names = "--backend", paramLabel = "auto|java|nd4j",
            description = "Network implementation (DQN's Q-network, SAC's actor and critics): java (plain"
                    + " arrays, fastest for small nets), nd4j (native ops, for wide ones) or auto (default: the"
                    + " preset's).")
    NetworkBackend backend;

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
        RunSettings.Template template = configFile == null ? new RunSettings.Template(null, null, null, null)
                : RunDirectory.readTemplate(configFile);
        if (template.envId() != null && !given("--env")) {
            envId = template.envId();
        }
        TunedHyperparameters.EnvSettings envSettings = resolveEnvSettings(template);
        EnvBackend resolvedBackend = envBackend.resolve(envId, given("--server"));
        Algorithm algorithm = resolveAlgorithm(envSettings, resolvedBackend);
        JsonNode otherAlgorithms = algorithm == Algorithm.SAC ? template.dqn() : template.sac();
        if (otherAlgorithms != null) {
            throw new ParameterException(spec.commandLine(), "--config " + configFile + " holds a "
                    + (algorithm == Algorithm.SAC ? "DQN" : "SAC") + " config, but this run is " + algorithm.name()
                    + " (" + envId + "; --algo chooses)");
        }
        if (algorithm == Algorithm.SAC) {
            return newSacRun(envSettings, resolvedBackend, template);
        }
        DqnConfig config = resolveConfig(template);
        RunDirectory run = newRunDirectory();
        List<String> serverTargets = serverTargets(resolvedBackend);
        RunSettings settings = RunSettings.of(Gymlink.version(), spec.commandLine().getParseResult().originalArgs(),
                envId, envSettings, resolvedBackend.flagValue(), serverTargets, LocalDateTime.now().toString(), config);
        return train(run, settings, Optional.empty());
    }

    /** A fresh run directory: --out, else runs/ENV-TIMESTAMP; never one that holds a run. */
    private RunDirectory newRunDirectory() {
        RunDirectory run = new RunDirectory(out != null ? out
                : RunDirectory.fresh(Path.of("runs"), envId, LocalDateTime.now()).path());
        if (Files.exists(run.config())) {
            throw new CliException(run.path() + " already holds a run: continue it with --resume " + run.path()
                    + ", or choose another --out");
        }
        return run;
    }

    private List<String> serverTargets(EnvBackend resolvedBackend) {
        return resolvedBackend == EnvBackend.REMOTE ? servers.stream().map(ServerAddress::target).toList() : List.of();
    }

    /**
     * {@code --algo}, or for {@code auto} the algorithm for the env's action space (read from one copy
     * of the env), said in the output.
     */
    private Algorithm resolveAlgorithm(TunedHyperparameters.EnvSettings envSettings, EnvBackend resolvedBackend)
            throws EnvException {
        if (algo != Algorithm.AUTO) {
            return algo;
        }
        Space actionSpace;
        try (EnvConnections probe = EnvConnections.open(envId, envSettings, resolvedBackend, servers,
                connection.remote(), Algorithm.AUTO)) {
            actionSpace = probe.single(false).actionSpace();
        }
        Algorithm chosen = Algorithm.forActions(actionSpace).orElseThrow(() -> new CliException(envId + " has "
                + actionSpace + " actions, which neither DQN (Discrete) nor SAC (Box) can take"));
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "algorithm: %s, for %s's %s actions (choose with --algo dqn|sac)%n",
                chosen.name(), envId, actionSpace);
        printer.flush();
        return chosen;
    }

    private int newSacRun(TunedHyperparameters.EnvSettings envSettings, EnvBackend resolvedBackend,
            RunSettings.Template template) throws EnvException, IOException {
        if (given("--preset")) {
            throw new ParameterException(spec.commandLine(), "--preset is DQN's: a SAC run starts from the"
                    + " env's SAC preset (or SAC's defaults) and takes --config, --set, --seed, --steps, --num-envs"
                    + " and --backend");
        }
        SacConfig config = resolveSacConfig(template);
        RunDirectory run = newRunDirectory();
        RunSettings settings = RunSettings.ofSac(Gymlink.version(), spec.commandLine().getParseResult().originalArgs(),
                envId, envSettings, resolvedBackend.flagValue(), serverTargets(resolvedBackend),
                LocalDateTime.now().toString(), config);
        return trainSac(run, settings, Optional.empty());
    }

    private int resumeRun() throws EnvException, IOException {
        for (String fixed : List.of("--env", "--preset", "--config", "--set", "--env-kwarg", "--backend", "--num-envs",
                "--seed", "--out")) {
            if (given(fixed)) {
                throw new ParameterException(spec.commandLine(), fixed + " cannot change when resuming: the run keeps"
                        + " the settings in " + resume.resolve(RunDirectory.CONFIG_FILE)
                        + " (start a new run to change them)");
            }
        }
        RunSettings saved = RunDirectory.readConfig(resume);
        try {
            if (saved.sac() != null) {
                SacCheckpoints.Loaded checkpoint = SacCheckpoints.read(resume);
                SacConfig config = steps != null ? checkpoint.config().withTotalSteps(steps) : checkpoint.config();
                EnvBackend resolvedBackend = resumedEnv(saved, checkpoint.envId(), checkpoint.progress(),
                        config.totalSteps(), config.solve().stopWhenSolved());
                RunSettings settings = RunSettings.ofSac(Gymlink.version(),
                        spec.commandLine().getParseResult().originalArgs(), envId, saved.envSettings(),
                        resolvedBackend.flagValue(), serverTargets(resolvedBackend), saved.startedAt(), config);
                return trainSac(new RunDirectory(resume), settings, Optional.of(checkpoint));
            }
            TrainingCheckpoint checkpoint = Checkpoints.read(resume);
            if (steps != null) {
                checkpoint = checkpoint.withTotalSteps(steps);
            }
            EnvBackend resolvedBackend = resumedEnv(saved, checkpoint.envId(), checkpoint.progress(),
                    checkpoint.config().totalSteps(), checkpoint.config().solve().stopWhenSolved());
            RunSettings settings = RunSettings.of(Gymlink.version(), spec.commandLine().getParseResult().originalArgs(),
                    envId, saved.envSettings(), resolvedBackend.flagValue(), serverTargets(resolvedBackend),
                    saved.startedAt(), checkpoint.config());
            return train(new RunDirectory(resume), settings, Optional.of(checkpoint));
        } catch (IOException e) {
            throw new CliException("cannot resume " + resume + ": " + e.getMessage());
        }
    }

    /**
     * Checks that a checkpointed run can go on (budget left, not stopped by solving), and sets the
     * env id and servers it continues on.
     *
     * @return where the env runs: as saved, unless --env-backend says otherwise
     */
    private EnvBackend resumedEnv(RunSettings saved, String checkpointEnvId, TrainingCheckpoint.Progress progress,
            long totalSteps, boolean stopWhenSolved) {
        if (progress.envSteps() >= totalSteps) {
            throw new CliException(resume + " already used its budget of " + totalSteps
                    + " env steps: pass --steps with a larger total to train further");
        }
        if (stopWhenSolved && progress.solvedAtStep() >= 0) {
            throw new CliException(resume + " was solved at env step " + progress.solvedAtStep()
                    + " and stops when solved; evaluate it with '" + Gymlink.programName() + " eval --checkpoint " + resume + "'");
        }
        envId = checkpointEnvId;
        EnvBackend savedBackend = EnvBackend.valueOf(saved.envBackend().toUpperCase(Locale.ROOT));
        EnvBackend resolvedBackend = given("--env-backend") ? envBackend.resolve(envId, given("--server")) : savedBackend;
        if (!given("--server") && !saved.servers().isEmpty()) {
            servers = saved.servers().stream().map(ServerAddress::parse).toList();
        }
        return resolvedBackend;
    }

    private int train(RunDirectory run, RunSettings settings, Optional<TrainingCheckpoint> resumeFrom)
            throws EnvException, IOException {
        PrintWriter printer = spec.commandLine().getOut();
        DqnConfig config = settings.dqn();
        EnvBackend resolvedBackend = EnvBackend.valueOf(settings.envBackend().toUpperCase(Locale.ROOT));
        EventsLog events = new EventsLog(run.path());
        try (EnvConnections envs = EnvConnections.open(envId, settings.envSettings(), resolvedBackend, servers,
                connection.remote().withListener(events))) {
            VectorEnv env = envs.vector(config.numEnvs());
            // One copy per evaluation episode: an evaluation's episodes play side by side.
            VectorEnv evalEnv = envs.vector(config.solve().evalEpisodes());
            int actionCount = (int) ((Discrete) env.singleActionSpace()).n();
            run.create();
            if (resumeFrom.isEmpty()) {
                // A resumed run keeps the record of how it was started.
                run.writeConfig(settings);
            }
            List<LearningCurve.Point> earlierEpisodes = List.of();
            if (resumeFrom.isPresent()) {
                earlierEpisodes = continueFiles(run, resumeFrom.get().progress(), envs, printer);
            } else {
                printer.printf(Locale.ROOT, "run directory: %s (env on %s)%n", run.path(), envs.where());
            }
            printer.flush();

            // The return that counts as solved: the config's own, else the env's registered one.
            OptionalDouble threshold = Double.isNaN(config.solve().threshold()) ? env.spec().rewardThreshold()
                    : OptionalDouble.of(config.solve().threshold());
            int observationSize = env.singleObservationSpace().flatDim();
            NetworkBackend usedBackend = QNetworks.resolve(config.backend(),
                    NetworkSpec.of(config, observationSize, actionCount), config.batchSize());
            RunProvenance provenance = RunProvenance.of(env.spec(), config, usedBackend, envs.serverVersions(),
                    RunProvenance.gitCommit(Path.of("")));
            Plumbing plumbing = new Plumbing(run, printer, threshold, earlierEpisodes,
                    Optional.of(new CheckpointListener(run.path(), provenance, checkpointEvery, CHECKPOINTS_KEPT)));
            List<TrainingListener> listeners = plumbing.listeners();
            Trainer trainer = resumeFrom.isPresent()
                    ? Trainer.resume(resumeFrom.get(), env, evalEnv, listeners, false)
                    : new Trainer(DqnAgent.create(config, observationSize, actionCount), env, evalEnv, listeners);
            events.stepsFrom(trainer::envSteps);
            if (resumeFrom.isPresent()) {
                events.record("resumed", envs.where(), "from " + Checkpoints.latest(run.path())
                        .map(p -> run.path().relativize(p).toString()).orElse("its checkpoint"));
            }
            try (DqnAgent agent = trainer.agent(); plumbing) {
                trainAndReport(trainer, envs, events, run, threshold);
            }
        }
        return 0;
    }

    /** Trains a SAC run, new or resumed: the DQN run's loop, listeners, checkpoints and report. */
    private int trainSac(RunDirectory run, RunSettings settings, Optional<SacCheckpoints.Loaded> resumeFrom)
            throws EnvException, IOException {
        PrintWriter printer = spec.commandLine().getOut();
        SacConfig config = settings.sac();
        EnvBackend resolvedBackend = EnvBackend.valueOf(settings.envBackend().toUpperCase(Locale.ROOT));
        EventsLog events = new EventsLog(run.path());
        try (EnvConnections envs = EnvConnections.open(envId, settings.envSettings(), resolvedBackend, servers,
                connection.remote().withListener(events), Algorithm.SAC)) {
            VectorEnv env = envs.vector(config.numEnvs());
            VectorEnv evalEnv = envs.vector(config.solve().evalEpisodes());
            run.create();
            List<LearningCurve.Point> earlierEpisodes = resumeFrom.isPresent()
                    ? continueFiles(run, resumeFrom.get().progress(), envs, printer) : List.of();
            if (resumeFrom.isEmpty()) {
                run.writeConfig(settings);
                printer.printf(Locale.ROOT, "run directory: %s (env on %s)%n", run.path(), envs.where());
            }
            printer.flush();
            OptionalDouble threshold = Double.isNaN(config.solve().threshold()) ? env.spec().rewardThreshold()
                    : OptionalDouble.of(config.solve().threshold());
            SacAgent agent = resumeFrom.isPresent()
                    ? SacAgent.restore(config, resumeFrom.get().observationSize(), resumeFrom.get().actionSpace(),
                            resumeFrom.get().agent())
                    : SacAgent.create(config, env.singleObservationSpace().flatDim(), (Box) env.singleActionSpace());
            RunProvenance provenance = RunProvenance.of(env.spec(), SacCheckpoints.ALGORITHM, config, config.seed(),
                    "java", envs.serverVersions(), RunProvenance.gitCommit(Path.of("")));
            try (agent; Plumbing plumbing = new Plumbing(run, printer, threshold, earlierEpisodes,
                    Optional.of(new CheckpointListener(run.path(), provenance, checkpointEvery, CHECKPOINTS_KEPT)))) {
                SacTrainable trainable = new SacTrainable(agent);
                Trainer trainer = resumeFrom.isPresent()
                        ? Trainer.resume(trainable, resumeFrom.get().progress(), env, Optional.of(evalEnv),
                                plumbing.listeners(), false)
                        : new Trainer(trainable, env, Optional.of(evalEnv), plumbing.listeners());
                events.stepsFrom(trainer::envSteps);
                if (resumeFrom.isPresent()) {
                    events.record("resumed", envs.where(), "from " + Checkpoints.latest(run.path())
                            .map(p -> run.path().relativize(p).toString()).orElse("its checkpoint"));
                }
                trainAndReport(trainer, envs, events, run, threshold);
            }
        }
        return 0;
    }

    /**
     * Cuts a resumed run's metrics and evaluations back to its checkpoint and says where it resumes.
     *
     * @return the episodes before the checkpoint, for the learning curve
     */
    private static List<LearningCurve.Point> continueFiles(RunDirectory run, TrainingCheckpoint.Progress progress,
            EnvConnections envs, PrintWriter printer) throws IOException {
        MetricsCsvListener.dropRowsAfter(run.metrics(), progress.envSteps());
        EvaluationsCsvListener.dropRowsAfter(run.evaluations(), progress.envSteps());
        printer.printf(Locale.ROOT, "resuming %s at env step %,d (env on %s)%n", run.path(), progress.envSteps(),
                envs.where());
        return Files.exists(run.metrics()) ? LearningCurve.readMetricsCsv(run.metrics()) : List.of();
    }

    /** The listeners every run has: progress, metrics.csv, evaluations.csv, TensorBoard, the curve, and checkpoints. */
    private static final class Plumbing implements AutoCloseable {
        private final MetricsCsvListener metrics;
        private final EvaluationsCsvListener evaluations;
        private final TensorBoardListener tensorBoard;
        private final List<TrainingListener> listeners;

        Plumbing(RunDirectory run, PrintWriter printer, OptionalDouble threshold,
                List<LearningCurve.Point> earlierEpisodes, Optional<TrainingListener> checkpoints) throws IOException {
            metrics = new MetricsCsvListener(run.metrics());
            evaluations = new EvaluationsCsvListener(run.evaluations());
            tensorBoard = new TensorBoardListener(run.path());
            List<TrainingListener> all = new ArrayList<>(List.of(
                    new ProgressListener(printer, Terminal.isInteractive()),
                    metrics,
                    evaluations,
                    tensorBoard,
                    new LearningCurveListener(run.learningCurve(), threshold, earlierEpisodes, CURVE_REDRAW_SECONDS)));
            checkpoints.ifPresent(all::add);
            listeners = List.copyOf(all);
        }

        List<TrainingListener> listeners() {
            return listeners;
        }

        @Override
        public void close() throws IOException {
            metrics.close();
            evaluations.close();
            tensorBoard.close();
        }
    }

    /** Trains until the end or Ctrl-C, then reports; a failure mid-run says where to continue from. */
    private void trainAndReport(Trainer trainer, EnvConnections envs, EventsLog events, RunDirectory run,
            OptionalDouble threshold) throws IOException {
        PrintWriter printer = spec.commandLine().getOut();
        TrainingListener.TrainingEnd end;
        try (GracefulStop stop = GracefulStop.install(trainer)) {
            try {
                end = trainer.train();
            } catch (RuntimeException e) {
                events.record("stopped", envs.where(), ErrorReport.describe(e));
                throw stoppedEarly(e, trainer, run);
            }
            if (trainer.stopRequested()) {
                printer.println("interrupted at env step " + String.format(Locale.ROOT, "%,d", end.envSteps())
                        + (Checkpoints.latest(run.path()).isPresent()
                                ? "; continue with " + Gymlink.programName() + " train --resume " + run.path() : ""));
            }
            report(printer, end, threshold, run);
        }
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

    /**
     * The end of a run, honestly: when the threshold was first reached (or that it was not), the best
     * and the final greedy evaluation, and which checkpoint {@code eval} will play.
     */
    private void report(PrintWriter printer, TrainingListener.TrainingEnd end, OptionalDouble threshold,
            RunDirectory run) throws IOException {
        String totals = String.format(Locale.ROOT, "%,d env steps, %,d episodes, %.1f s", end.envSteps(),
                end.episodes(), end.seconds());
        TrainingListener.EvaluationEnd best = end.bestEvaluation();
        TrainingListener.EvaluationEnd last = end.lastEvaluation();
        if (end.solved()) {
            printer.printf(Locale.ROOT, "solved %s at env step %,d: the first greedy evaluation to reach %s (%s)%n",
                    envId, end.solvedAtStep(), Numbers.plain(threshold.orElse(Double.NaN)), totals);
        } else {
            String why = last == null ? "no greedy evaluation ran"
                    : threshold.isEmpty() ? envId + " has no reward threshold"
                    : "no greedy evaluation reached " + Numbers.plain(threshold.getAsDouble());
            String further = Checkpoints.latest(run.path()).isPresent()
                    ? "; train longer with --resume " + run.path() + " --steps N" : "";
            printer.printf(Locale.ROOT, "not solved: %s; mean return of the last 100 episodes %s (%s)%s%n", why,
                    Numbers.score(end.meanReturn100()), totals, further);
        }
        if (best != null) {
            printer.printf(Locale.ROOT, "best evaluation:  %s%n", describe(best));
            printer.printf(Locale.ROOT, "final evaluation: %s%n", describe(last));
        }
        printer.printf(Locale.ROOT, "run directory: %s%n", run.path());
        List<String> files = new ArrayList<>(List.of(RunDirectory.CONFIG_FILE, MetricsCsvListener.FILE_NAME));
        if (best != null) {
            files.add(EvaluationsCsvListener.FILE_NAME);
        }
        files.add(TensorBoardListener.FILE_PREFIX + "*");
        files.add(LearningCurve.FILE_NAME);
        Checkpoints.best(run.path()).ifPresent(p -> files.add(run.path().relativize(p).toString()));
        Checkpoints.latest(run.path()).ifPresent(p -> files.add(run.path().relativize(p).toString()));
        printer.printf(Locale.ROOT, "  %s%n", String.join(", ", files));
        Path played = Checkpoints.select(run.path());
        printer.printf(Locale.ROOT, "next: %s eval --checkpoint %s   (plays %s%s)%n", Gymlink.programName(), run.path(),
                run.path().relativize(played), Checkpoints.best(run.path()).isPresent()
                        ? ", the best evaluation's policy" : ", the latest");
        printer.flush();
    }

    /** E.g. {@code env step 90,000, mean -72.2 +- 10.3 over 20 greedy episodes}. */
    static String describe(TrainingListener.EvaluationEnd evaluation) {
        return String.format(Locale.ROOT, "env step %,d, mean %s +- %s over %d greedy episodes", evaluation.envStep(),
                Numbers.score(evaluation.meanReturn()), Numbers.score(evaluation.stdReturn()), evaluation.episodes());
    }

    /** The env's kwargs and time limit: the --config file's, else the env's tuning's, then each --env-kwarg. */
    private TunedHyperparameters.EnvSettings resolveEnvSettings(RunSettings.Template template) {
        TunedHyperparameters.EnvSettings envSettings = template.envSettings() != null ? template.envSettings()
                : TunedHyperparameters.bundled().envSettings(envId);
        try {
            for (Map.Entry<String, String> kwarg : envKwargs.entrySet()) {
                envSettings = envSettings.with(kwarg.getKey(), kwarg.getValue());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--env-kwarg: " + e.getMessage());
        }
        return envSettings;
    }

    /** The preset, then the --config file's dqn object, then each --set, then the dedicated flags. */
    private DqnConfig resolveConfig(RunSettings.Template template) {
        DqnConfig.Builder builder;
        try {
            DqnConfig config = preset.config(envId);
            if (template.dqn() != null) {
                config = DqnConfigOverrides.merge(config, template.dqn(), "--config " + configFile);
            }
            requireSetOrFlag();
            builder = DqnConfigOverrides.apply(config, settings).toBuilder();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
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

    /** Refuses a --set key together with the flag for the same setting. */
    private void requireSetOrFlag() {
        for (String flagged : List.of("seed:--seed", "totalSteps:--steps", "numEnvs:--num-envs", "backend:--backend")) {
            String[] pair = flagged.split(":");
            if (settings.containsKey(pair[0]) && given(pair[1])) {
                throw new IllegalArgumentException("--set " + pair[0] + " and " + pair[1] + " both given: use one");
            }
        }
    }

    /** The env's SAC preset (else SAC's defaults), then each --set, then --seed/--steps/--num-envs/--backend. */
    private SacConfig resolveSacConfig(RunSettings.Template template) {
        try {
            SacConfig config = SacPresets.bundled().config(envId);
            if (template.sac() != null) {
                config = DqnConfigOverrides.merge(config, template.sac(), "--config " + configFile);
            }
            requireSetOrFlag();
            SacConfig.Builder builder = DqnConfigOverrides.apply(config, settings).toBuilder();
            if (numEnvs != null) {
                builder.numEnvs(numEnvs);
            }
            if (seed != null) {
                builder.seed(seed);
            }
            if (steps != null) {
                builder.totalSteps(steps);
            }
            if (backend != null) {
                builder.backend(backend);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid training settings: " + e.getMessage());
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

}
