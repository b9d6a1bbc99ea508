package dev.gymlink.cli;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.train.Evaluation;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gymlink eval}: greedy episodes of a trained agent, no exploration and no learning. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Play greedy episodes with a trained agent and print the mean +- standard deviation, min and max"
                + " return.")
final class EvalCommand implements Callable<Integer> {

    /** Most env copies an evaluation steps together; more episodes play in rounds. */
    static final int MAX_COPIES = 256;

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedAgentOptions trained;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "100",
            description = "Greedy episodes to play (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1000000",
            description = "Episode k starts from reset(seed S + k) (default: ${DEFAULT-VALUE}, apart from the"
                    + " training seeds).")
    long seed;

    @Override
    public Integer call() throws EnvException {
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, got " + episodes);
        }
        PrintWriter out = spec.commandLine().getOut();
        TrainedAgentOptions.Loaded loaded = trained.load();
        try (EnvConnections envs = EnvConnections.open(loaded.envId(), loaded.envSettings(), loaded.backend(), loaded.servers(),
                connection.remote(), loaded.algorithm());
                TrainedAgentOptions.Policy policy = loaded.restorePolicy()) {
            // The episodes play side by side, one copy each (in rounds beyond MAX_COPIES); the returns are those of
            // playing them one after the other.
            VectorEnv env = envs.vector(Math.min(episodes, MAX_COPIES));
            out.println(loaded.describe());
            out.printf(Locale.ROOT, "evaluating %s (trained %,d env steps) on %s with %d greedy episodes ...%n",
                    loaded.envId(), loaded.progress().envSteps(), envs.where(), episodes);
            out.flush();
            long started = System.nanoTime();
            Evaluation.Result result = Evaluation.evaluate(policy.greedy(), env, episodes, seed);
            double seconds = (System.nanoTime() - started) / 1e9;
            String threshold = env.spec().rewardThreshold().isPresent()
                    ? String.format(Locale.ROOT, "; %s the reward threshold %s",
                            result.mean() >= env.spec().rewardThreshold().getAsDouble() ? "reaches" : "below",
                            Numbers.plain(env.spec().rewardThreshold().getAsDouble()))
                    : "";
            out.printf(Locale.ROOT, "mean %s +- %s  min %s  max %s  over %d episodes (%.1f s)%s%n",
                    Numbers.score(result.mean()), Numbers.score(result.std()), Numbers.score(result.min()),
                    Numbers.score(result.max()), result.episodes(), seconds, threshold);
            out.flush();
        }
        return 0;
    }

}
