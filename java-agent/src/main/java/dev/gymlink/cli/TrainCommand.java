package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import dev.gymlink.train.listeners.LearningCurve;
import dev.gymlink.train.listeners.LearningCurveListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import dev.gymlink.train.listeners.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
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
@Command(name = "train", sortOptions = false,
        description = {"Train a DQN agent. With no flags: CartPole-v1 on the built-in Java env, until a greedy"
                + " evaluation reaches the env's reward threshold (475) or the step budget is spent.",
            "Writes a run directory with config.json, metrics.csv, learning-curve.png and the checkpoint."})
final class TrainCommand implements Callable<Integer> {

    /** Seconds between learning-curve redraws during a run. */
    private static final long CURVE_REDRAW_SECONDS = 30;

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

    @Option(names = "--server", paramLabel = "HOST:PORT[,HOST:PORT...]", split = ",",
            converter = ServerAddress.Converter.class, defaultValue = "${env:GYMLINK_SERVER:-localhost:50051}",
            description = "Env server(s) for remote envs; the env copies are spread over them round robin, and a"
                    + " host name with several addresses counts as several servers (default: ${DEFAULT-VALUE};"
                    + " env var GYMLINK_SERVER).")
    List<ServerAddress> servers;

    @Option(names = "--num-envs", paramLabel = "N",
            description = "Env copies stepped together (default: the preset's, 4 for default, 1 for tutorial).")
    Integer numEnvs;

    @Option(names = "--preset", paramLabel = "default|tutorial", defaultValue = "default",
            description = "DQN config to start from: default (Double DQN, solves CartPole-v1) or tutorial (the"
                    + " classic Keras tutorial's DQN) (default: ${DEFAULT-VALUE}).")
    Preset preset;

    @Option(names = "--backend", paramLabel = "auto|java|nd4j",
            description = "Q-network implementation: java (plain arrays, fastest for small nets), nd4j (native"
                    + " ops) or auto (default: the preset's).")
    DqnConfig.Backend backend;

    @Option(names = "--seed", paramLabel = "S", description = "Root seed of the run (default: the preset's, 0).")
    Long seed;

    @Option(names = "--steps", paramLabel = "N",
            description = "Env-step budget, summed over copies (default: the preset's, 50000 for default).")
    Long steps;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory to write (default: runs/<env>-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its checkpoint (--steps then sets the new total budget).")
    Path resume;

    @Override
    public Integer call() throws EnvException, IOException {
        PrintWriter printer = spec.commandLine().getOut();
        if (resume != null) {
            throw new CliException("--resume is not available in this build yet");
        }
        DqnConfig config = resolveConfig();
        EnvBackend resolvedBackend = envBackend.resolve(envId, serverGiven());
        RunDirectory run = new RunDirectory(out != null ? out
                : RunDirectory.fresh(Path.of("runs"), envId, LocalDateTime.now()).path());
        try (EnvConnections envs = EnvConnections.open(envId, resolvedBackend, servers)) {
            VectorEnv env = envs.vector(config.numEnvs());
            Env evalEnv = envs.single(false);
            int actionCount = (int) ((Discrete) env.singleActionSpace()).n();
            run.create();
            run.writeConfig(new RunSettings(Gymlink.version(), List.of(spec.commandLine().getParseResult().originalArgs()
                    .toArray(String[]::new)), envId, resolvedBackend.flagValue(),
                    resolvedBackend == EnvBackend.REMOTE ? servers.stream().map(ServerAddress::target).toList() : List.of(),
                    LocalDateTime.now().toString(), config));
            printer.printf(Locale.ROOT, "run directory: %s (env on %s)%n", run.path(), envs.where());
            printer.flush();

            OptionalDouble threshold = env.spec().rewardThreshold();
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new ProgressListener(printer, Terminal.isInteractive()));
            MetricsCsvListener metrics = new MetricsCsvListener(run.metrics());
            listeners.add(metrics);
            listeners.add(new LearningCurveListener(run.learningCurve(), threshold, List.of(), CURVE_REDRAW_SECONDS));
            try (DqnAgent agent = DqnAgent.create(config, env.singleObservationSpace().flatDim(), actionCount)) {
                Trainer trainer = new Trainer(agent, env, Optional.of(evalEnv), listeners);
                TrainingListener.TrainingEnd end = trainer.train();
                report(printer, end, trainer, threshold, run);
            } finally {
                metrics.close();
            }
        }
        return 0;
    }

    private void report(PrintWriter printer, TrainingListener.TrainingEnd end, Trainer trainer, OptionalDouble threshold,
            RunDirectory run) {
        String totals = String.format(Locale.ROOT, "%,d env steps, %,d episodes in %.1f s", end.envSteps(),
                end.episodes(), end.seconds());
        if (end.solved()) {
            printer.printf(Locale.ROOT, "solved %s at env step %,d: greedy evaluation mean %.1f >= %s (%s)%n", envId,
                    end.solvedAtStep(), trainer.lastEvaluationMean(), plain(threshold.orElse(Double.NaN)), totals);
        } else {
            printer.printf(Locale.ROOT, "not solved: mean return of the last 100 episodes %.1f, last greedy evaluation"
                            + " %.1f%s (%s); train longer with --steps%n", end.meanReturn100(),
                    trainer.lastEvaluationMean(),
                    threshold.isPresent() ? ", threshold " + plain(threshold.getAsDouble()) : "", totals);
        }
        printer.printf(Locale.ROOT, "run directory: %s%n", run.path());
        printer.printf(Locale.ROOT, "  %s, %s, %s%n", RunDirectory.CONFIG_FILE, MetricsCsvListener.FILE_NAME,
                LearningCurve.FILE_NAME);
        printer.flush();
    }

    private DqnConfig resolveConfig() {
        DqnConfig.Builder builder = preset.config().toBuilder();
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

    private boolean serverGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--server");
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
