package dev.gymlink.bench;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnCompatibility;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.DqnConfigOverrides;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.agent.sac.SacPresets;
import dev.gymlink.env.Box;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.Evaluation;
import dev.gymlink.train.RunProvenance;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import dev.gymlink.train.listeners.CheckpointListener;
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import dev.gymlink.train.listeners.ProgressListener;
import dev.gymlink.train.sac.SacCheckpoints;
import dev.gymlink.train.sac.SacTrainable;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains the DQN agent with an env's bundled preset ({@link TunedHyperparameters}) on a running env
 * server, or for an env with Box actions the SAC agent with its SAC preset ({@link SacPresets}),
 * once per seed, and after each run plays a fixed set of greedy episodes with the run's best
 * checkpoint (the policy of its best greedy evaluation during training, what {@code gymlink eval}
 * plays) and with its final policy, to measure what was learned. The preset's env settings (e.g.
 * FrozenLake's {@code is_slippery=false}) go to {@code gymnasium.make}; {@code KEY=VALUE} arguments
 * change the preset as {@code gymlink train --set} does, and {@code env.KEY=VALUE} sets an env kwarg as
 * {@code --env-kwarg} does (LunarLander-v3's {@code env.continuous=true}). Each run's directory (checkpoints,
 * {@code evaluations.csv}) stays in a temporary directory, printed. For SAC, {@code resume=RUN_DIR}
 * (one seed) continues such a directory from its latest checkpoint to the new STEPS budget, with a
 * fresh env (the episode in flight at the checkpoint is dropped, as {@code gymlink train --resume} does).
 *
 * <pre>
 * python -m gymlink_server --port 50051 &amp;
 * scripts/learn-preset.sh Acrobot-v1 1,2,3      # or: PresetLearningRun ENV HOST:PORT SEEDS [FINAL_EPISODES] [STEPS] [KEY=VALUE...]
 * </pre>
 */
public final class PresetLearningRun {

    private static final int DEFAULT_FINAL_EPISODES = 100;
    /** Final-evaluation seeds start here, far from the seeds training and its evaluations use. */
    private static final long FINAL_EVALUATION_SEED = 1_000_000;
    private static final String ENV_KWARG_PREFIX = "env.";
    private static final String RESUME_KEY = "resume";

    private PresetLearningRun() {}

    public static void main(String[] args) throws EnvException, IOException {
        if (args.length < 3) {
            System.err.println("usage: PresetLearningRun ENV_ID HOST:PORT SEED[,SEED...] [FINAL_EPISODES] [STEPS]"
                    + " [KEY=VALUE...]");
            System.exit(2);
        }
        String envId = args[0];
        String target = args[1];
        long[] seeds = Arrays.stream(args[2].split(",")).mapToLong(Long::parseLong).toArray();
        int finalEpisodes = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_FINAL_EPISODES;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String assignment : Arrays.asList(args).subList(Math.min(args.length, 5), args.length)) {
            String[] pair = assignment.split("=", 2);
            overrides.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

        TunedHyperparameters presets = TunedHyperparameters.bundled();
        TunedHyperparameters.EnvSettings settings = presets.envSettings(envId);
        // env.KEY=VALUE is an env kwarg, as 'gymlink train --env-kwarg KEY=VALUE' (e.g. env.continuous=true).
        for (String key : List.copyOf(overrides.keySet())) {
            if (key.startsWith(ENV_KWARG_PREFIX)) {
                settings = settings.with(key.substring(ENV_KWARG_PREFIX.length()), overrides.remove(key));
            }
        }
        Optional<Path> resume = Optional.ofNullable(overrides.remove(RESUME_KEY)).map(Path::of);
        if (resume.isPresent() && seeds.length != 1) {
            throw new IllegalArgumentException(RESUME_KEY + "=RUN_DIR continues one run: give one seed, not "
                    + args[2]);
        }
        EnvOptions options = EnvOptions.of(envId).withKwargs(settings.kwargs());
        if (settings.maxEpisodeSteps().isPresent()) {
            options = options.withMaxEpisodeSteps(settings.maxEpisodeSteps().getAsInt());
        }
        List<String> lines = new ArrayList<>();
        ManagedChannel channel = GymlinkChannels.forTarget(target);
        try {
            boolean boxActions;
            try (RemoteEnv probe = RemoteEnv.connect(channel, options)) {
                boxActions = probe.actionSpace() instanceof Box;
            }
            for (long seed : seeds) {
                if (boxActions) {
                    String line = sacRun(channel, options, envId, seed, overrides,
                            args.length > 4 && !args[4].equals("-") ? Optional.of(Long.parseLong(args[4]))
                                    : Optional.empty(), resume, finalEpisodes, out);
                    lines.add(line);
                    continue;
                }
                if (resume.isPresent()) {
                    throw new IllegalArgumentException(RESUME_KEY + "=RUN_DIR continues SAC runs only");
                }
                DqnConfig.Builder builder = DqnConfigOverrides.apply(presets.config(envId), overrides).toBuilder()
                        .seed(seed);
                if (args.length > 4 && !args[4].equals("-")) {
                    builder.totalSteps(Long.parseLong(args[4]));
                }
                DqnConfig config = builder.build();
                out.printf(Locale.ROOT, "== %s seed %d, env kwargs %s, time limit %s%n== %s%n", envId, seed,
                        settings.kwargs(), settings.maxEpisodeSteps(), config.summary());
                try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, options, config.numEnvs());
                        RemoteEnv evalEnv = RemoteEnv.connect(channel, options)) {
                    DqnCompatibility.require(envId, env.singleObservationSpace(), env.singleActionSpace());
                    int actions = (int) ((Discrete) env.singleActionSpace()).n();
                    int observationSize = env.singleObservationSpace().flatDim();
                    Path runDir = Files.createTempDirectory("gymlink-learn-" + envId + "-seed" + seed + "-");
                    RunProvenance provenance = RunProvenance.of(env.spec(), config, QNetworks.resolve(config.backend(),
                            NetworkSpec.of(config, observationSize, actions), config.batchSize()), Map.of(),
                            Optional.empty());
                    try (DqnAgent agent = DqnAgent.create(config, observationSize, actions)) {
                        EvaluationsCsvListener evaluations = new EvaluationsCsvListener(
                                runDir.resolve(EvaluationsCsvListener.FILE_NAME));
                        Trainer trainer = new Trainer(agent, env, Optional.of(evalEnv), List.of(
                                new ProgressListener(out, false), evaluations,
                                new CheckpointListener(runDir, provenance, 0, 1)));
                        TrainingListener.TrainingEnd end = trainer.train();
                        long evaluationSeed = FINAL_EVALUATION_SEED + seed * finalEpisodes;
                        Evaluation.Result last = Evaluation.evaluate(agent, evalEnv, finalEpisodes, evaluationSeed);
                        String bestText = "no best checkpoint (no greedy evaluation ran)";
                        Optional<Path> bestDir = Checkpoints.best(runDir);
                        if (bestDir.isPresent()) {
                            try (DqnAgent best = Checkpoints.read(bestDir.get()).restoreAgent()) {
                                Evaluation.Result played = Evaluation.evaluate(best, evalEnv, finalEpisodes,
                                        evaluationSeed);
                                bestText = String.format(Locale.ROOT, "best checkpoint (step %,d, %d-episode mean"
                                                + " %.1f) %s", end.bestEvaluation().envStep(),
                                        end.bestEvaluation().episodes(), end.bestEvaluation().meanReturn(),
                                        describe(played));
                            }
                        }
                        String line = String.format(Locale.ROOT,
                                "%s seed %d: %s at step %s; %s; final policy %s; %,d steps, %,d episodes, %.0f s; %s",
                                envId, seed, end.solved() ? "solved" : "not solved",
                                end.solved() ? String.format(Locale.ROOT, "%,d", end.solvedAtStep()) : "-",
                                bestText, describe(last), end.envSteps(), end.episodes(), end.seconds(), runDir);
                        out.println(line);
                        lines.add(line);
                    }
                }
            }
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
        out.println("== summary");
        lines.forEach(out::println);
    }

    /**
     * One SAC run of the env's SAC preset, as the DQN runs above, or the continuation of {@code resume}'s
     * run to the {@code steps} budget; returns its summary line.
     */
    private static String sacRun(ManagedChannel channel, EnvOptions options, String envId, long seed,
            Map<String, String> overrides, Optional<Long> steps, Optional<Path> resume, int finalEpisodes,
            PrintWriter out) throws EnvException, IOException {
        Optional<SacCheckpoints.Loaded> resumeFrom = resume.isPresent()
                ? Optional.of(SacCheckpoints.read(resume.get())) : Optional.empty();
        SacConfig.Builder builder = DqnConfigOverrides.apply(resumeFrom.isPresent() ? resumeFrom.get().config()
                : SacPresets.bundled().config(envId), overrides).toBuilder().seed(seed);
        steps.ifPresent(builder::totalSteps);
        SacConfig config = builder.build();
        if (resumeFrom.isPresent() && !config.withTotalSteps(resumeFrom.get().config().totalSteps())
                .equals(resumeFrom.get().config())) {
            throw new IllegalArgumentException(resume.get() + " was trained with other settings (or seed) than "
                    + config.summary() + ": only the step budget may change");
        }
        out.printf(Locale.ROOT, "== %s seed %d%s%n== %s%n", envId, seed,
                resume.map(dir -> ", continuing " + dir + " at env step "
                        + resumeFrom.get().progress().envSteps()).orElse(""), config.summary());
        int finalCopies = Math.min(finalEpisodes, 100);
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, options, config.numEnvs());
                RemoteVectorEnv evalEnv = RemoteVectorEnv.connect(channel, options, config.solve().evalEpisodes());
                RemoteVectorEnv finalEnv = RemoteVectorEnv.connect(channel, options, finalCopies)) {
            Box actions = (Box) env.singleActionSpace();
            int observationSize = env.singleObservationSpace().flatDim();
            Path runDir = resume.isPresent() ? resume.get()
                    : Files.createTempDirectory("gymlink-learn-" + envId + "-seed" + seed + "-");
            RunProvenance provenance = RunProvenance.of(env.spec(), SacCheckpoints.ALGORITHM, config, seed, "java",
                    Map.of(), Optional.empty());
            if (resumeFrom.isPresent()) {
                EvaluationsCsvListener.dropRowsAfter(runDir.resolve(EvaluationsCsvListener.FILE_NAME),
                        resumeFrom.get().progress().envSteps());
            }
            SacTrainable trainable = new SacTrainable(resumeFrom.isPresent()
                    ? SacAgent.restore(config, observationSize, actions, resumeFrom.get().agent())
                    : SacAgent.create(config, observationSize, actions));
            EvaluationsCsvListener evaluations = new EvaluationsCsvListener(
                    runDir.resolve(EvaluationsCsvListener.FILE_NAME));
            List<TrainingListener> listeners = List.of(new ProgressListener(out, false), evaluations,
                    new CheckpointListener(runDir, provenance, 0, 1));
            Trainer trainer = resumeFrom.isPresent()
                    ? Trainer.resume(trainable, resumeFrom.get().progress(), env, Optional.of(evalEnv), listeners,
                            false)
                    : new Trainer(trainable, env, Optional.of(evalEnv), listeners);
            TrainingListener.TrainingEnd end = trainer.train();
            evaluations.close();
            long evaluationSeed = FINAL_EVALUATION_SEED + seed * finalEpisodes;
            Evaluation.Result last = Evaluation.evaluate(trainable, finalEnv, finalEpisodes, evaluationSeed);
            String bestText = "no best checkpoint (no greedy evaluation ran)";
            Optional<Path> bestDir = Checkpoints.best(runDir);
            if (bestDir.isPresent()) {
                SacTrainable best = new SacTrainable(SacCheckpoints.read(bestDir.get()).restoreAgent());
                Evaluation.Result played = Evaluation.evaluate(best, finalEnv, finalEpisodes, evaluationSeed);
                bestText = String.format(Locale.ROOT, "best checkpoint (step %,d, %d-episode mean %.1f) %s",
                        end.bestEvaluation().envStep(), end.bestEvaluation().episodes(),
                        end.bestEvaluation().meanReturn(), describe(played));
            }
            String line = String.format(Locale.ROOT,
                    "%s seed %d (SAC): %s at step %s; %s; final policy %s; %,d steps, %,d episodes, %.0f s; %s",
                    envId, seed, end.solved() ? "solved" : "not solved",
                    end.solved() ? String.format(Locale.ROOT, "%,d", end.solvedAtStep()) : "-", bestText,
                    describe(last), end.envSteps(), end.episodes(), end.seconds(), runDir);
            out.println(line);
            return line;
        }
    }

    /** Two decimals: a mean of 199.96 must not print as 200.0. */
    private static String describe(Evaluation.Result result) {
        return String.format(Locale.ROOT, "mean %.2f +- %.2f (min %.1f, max %.1f) over %d episodes", result.mean(),
                result.std(), result.min(), result.max(), result.episodes());
    }
}
