package dev.gymlink.bench;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnCompatibility;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.train.Evaluation;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import dev.gymlink.train.listeners.ProgressListener;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trains the DQN agent with an env's bundled preset ({@link TunedHyperparameters}) on a running env server,
 * once per seed, and after each run plays a fixed set of greedy episodes to measure what was
 * learned. The preset's env settings (e.g. FrozenLake's {@code is_slippery=false}) go to
 * {@code gymnasium.make}.
 *
 * <pre>
 * python -m gymlink_server --port 50051 &amp;
 * scripts/learn-preset.sh Acrobot-v1 1,2,3      # or: PresetLearningRun ENV HOST:PORT SEEDS [FINAL_EPISODES] [STEPS]
 * </pre>
 */
public final class PresetLearningRun {

    private static final int DEFAULT_FINAL_EPISODES = 100;
    /** Final-evaluation seeds start here, far from the seeds training and its evaluations use. */
    private static final long FINAL_EVALUATION_SEED = 1_000_000;

    private PresetLearningRun() {}

    public static void main(String[] args) throws EnvException {
        if (args.length < 3) {
            System.err.println("usage: PresetLearningRun ENV_ID HOST:PORT SEED[,SEED...] [FINAL_EPISODES] [STEPS]");
            System.exit(2);
        }
        String envId = args[0];
        String target = args[1];
        long[] seeds = Arrays.stream(args[2].split(",")).mapToLong(Long::parseLong).toArray();
        int finalEpisodes = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_FINAL_EPISODES;
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

        TunedHyperparameters presets = TunedHyperparameters.bundled();
        TunedHyperparameters.EnvSettings settings = presets.envSettings(envId);
        EnvOptions options = EnvOptions.of(envId).withKwargs(settings.kwargs());
        if (settings.maxEpisodeSteps().isPresent()) {
            options = options.withMaxEpisodeSteps(settings.maxEpisodeSteps().getAsInt());
        }
        List<String> lines = new ArrayList<>();
        ManagedChannel channel = GymlinkChannels.forTarget(target);
        try {
            for (long seed : seeds) {
                DqnConfig.Builder builder = presets.config(envId).toBuilder().seed(seed);
                if (args.length > 4) {
                    builder.totalSteps(Long.parseLong(args[4]));
                }
                DqnConfig config = builder.build();
                out.printf(Locale.ROOT, "== %s seed %d, env kwargs %s, time limit %s%n== %s%n", envId, seed,
                        settings.kwargs(), settings.maxEpisodeSteps(), config.summary());
                try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, options, config.numEnvs());
                        RemoteEnv evalEnv = RemoteEnv.connect(channel, options)) {
                    DqnCompatibility.require(envId, env.singleObservationSpace(), env.singleActionSpace());
                    int actions = (int) ((Discrete) env.singleActionSpace()).n();
                    try (DqnAgent agent = DqnAgent.create(config, env.singleObservationSpace().flatDim(), actions)) {
                        Trainer trainer = new Trainer(agent, env, Optional.of(evalEnv),
                                List.of(new ProgressListener(out, false)));
                        TrainingListener.TrainingEnd end = trainer.train();
                        Evaluation.Result last = Evaluation.evaluate(agent, evalEnv, finalEpisodes,
                                FINAL_EVALUATION_SEED + seed * finalEpisodes);
                        String line = String.format(Locale.ROOT,
                                "%s seed %d: %s at step %s; final greedy %d episodes mean %.2f (min %.1f, max %.1f);"
                                        + " %,d steps, %,d episodes, %.0f s",
                                envId, seed, end.solved() ? "solved" : "not solved",
                                end.solved() ? String.format(Locale.ROOT, "%,d", end.solvedAtStep()) : "-",
                                finalEpisodes, last.mean(), last.min(), last.max(), end.envSteps(), end.episodes(),
                                end.seconds());
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
}
