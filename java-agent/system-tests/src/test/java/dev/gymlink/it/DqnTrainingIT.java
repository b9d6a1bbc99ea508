package dev.gymlink.it;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.train.Evaluation;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Acceptance: DQN with the {@code defaults()} preset (four copies of the env in one vector
 * session) trains against Gymnasium's CartPole-v1 on the env server container and reaches the
 * env's reward threshold (a greedy 20-episode mean of at least 475, evaluated on the container
 * every 2,500 env steps) within 50,000 env steps for at least 2 of 3 fixed seeds; each solved
 * policy also scores on greedy episodes that no evaluation played.
 *
 * <p>A seed's run is the same every time (plain-Java network, env resets seeded from the run's
 * seed), so the outcome does not vary between test runs; the margin of one seed is there for
 * changes to the agent, not for luck.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DqnTrainingIT {

    private static final String ENV_ID = "CartPole-v1";
    private static final long[] SEEDS = {1, 2, 3};
    private static final int REQUIRED_SOLVES = 2;
    private static final long STEP_BUDGET = 50_000;
    /** Seed of greedy episodes that no evaluation during training played. */
    private static final long FRESH_EPISODES_SEED = 987_654;
    /** What a solved policy must score on those (as in DqnLearningTest). */
    private static final double FRESH_EPISODES_MEAN = 400;

    @Container
    static final EnvServerContainer SERVER = new EnvServerContainer();

    @Test
    void defaultsSolveContainerisedCartPoleWithin50kStepsForTwoOfThreeSeeds() throws Exception {
        // The seeds train side by side, each on its own sessions: the runs do not share any state.
        ExecutorService pool = Executors.newFixedThreadPool(SEEDS.length);
        List<Outcome> outcomes = new ArrayList<>();
        try {
            List<Future<Outcome>> runs = new ArrayList<>();
            for (long seed : SEEDS) {
                runs.add(pool.submit(() -> train(seed)));
            }
            for (Future<Outcome> run : runs) {
                outcomes.add(run.get());
            }
        } finally {
            pool.shutdownNow();
        }
        String report = outcomes.stream().map(Outcome::description).collect(Collectors.joining("\n  "));
        System.out.println("defaults on containerised " + ENV_ID + ":\n  " + report);

        long solved = outcomes.stream().filter(Outcome::solved).count();
        assertTrue(solved >= REQUIRED_SOLVES, "solved for only " + solved + " of " + SEEDS.length + " seeds:\n  "
                + report);
        for (Outcome outcome : outcomes) {
            if (outcome.solved()) {
                assertTrue(outcome.solvedAtStep() <= STEP_BUDGET, "solve reported past the budget: " + report);
                assertTrue(outcome.freshMean() >= FRESH_EPISODES_MEAN,
                        "a solved policy must also score on episodes it was not evaluated on: " + report);
            }
        }
    }

    private static Outcome train(long seed) throws Exception {
        DqnConfig config = DqnConfig.defaults().toBuilder()
                .seed(seed)
                .totalSteps(STEP_BUDGET)
                .backend(NetworkBackend.JAVA)
                .build();
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(SERVER.channel(), EnvOptions.of(ENV_ID), config.numEnvs());
                RemoteEnv evalEnv = RemoteEnv.connect(SERVER.channel(), EnvOptions.of(ENV_ID));
                DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            EvaluationLog evaluations = new EvaluationLog();
            TrainingListener.TrainingEnd end =
                    new Trainer(agent, env, Optional.of(evalEnv), List.of(evaluations)).train();
            String description = String.format(Locale.ROOT, "seed %d, %d copies: %s after %.0f s, greedy means %s",
                    seed, config.numEnvs(), end.solved() ? "solved at env step " + end.solvedAtStep() : "not solved",
                    end.seconds(), evaluations);
            if (!end.solved()) {
                return new Outcome(false, end.solvedAtStep(), Double.NaN, description);
            }
            Evaluation.Result fresh = Evaluation.evaluate(agent, evalEnv, 20, FRESH_EPISODES_SEED);
            return new Outcome(true, end.solvedAtStep(), fresh.mean(), description + "; on fresh episodes " + fresh);
        }
    }

    /** One seed's run: whether and when it solved, and how its greedy policy did on fresh episodes. */
    private record Outcome(boolean solved, long solvedAtStep, double freshMean, String description) {}

    /** The greedy evaluation means during a run, for the failure message. */
    private static final class EvaluationLog implements TrainingListener {
        private final List<String> means = new ArrayList<>();

        @Override
        public void onEvaluation(EvaluationEnd evaluation) {
            means.add(String.format(Locale.ROOT, "%d:%.0f", evaluation.envStep(), evaluation.meanReturn()));
        }

        @Override
        public String toString() {
            return means.toString();
        }
    }
}
