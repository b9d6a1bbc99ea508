package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.train.Evaluation;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Acceptance: DQN with the {@code defaults()} preset, acting on 8 copies of Gymnasium's
 * CartPole-v1 in one vector session on the env server container, reaches the env's reward
 * threshold (a greedy 20-episode mean of at least 475, evaluated on the container every 2,500 env
 * steps) within 50,000 env steps for at least 2 of 3 fixed seeds.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DqnTrainingIT {

    private static final String ENV_ID = "CartPole-v1";
    private static final long[] SEEDS = {1, 2, 3};
    private static final int REQUIRED_SOLVES = 2;
    private static final int COPIES = 4;
    private static final long STEP_BUDGET = 50_000;
    /** Seed of greedy episodes that no evaluation during training played. */
    private static final long FRESH_EPISODES_SEED = 987_654;

    @Container
    static final EnvServerContainer SERVER = new EnvServerContainer();

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = SERVER.newChannel();
    }

    @AfterAll
    static void disconnect() {
        if (channel != null) {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
    }

    @Test
    void defaultsSolveContainerisedCartPoleWithin50kStepsForTwoOfThreeSeeds() throws Exception {
        List<String> outcomes = new ArrayList<>();
        int solved = 0;
        for (long seed : SEEDS) {
            DqnConfig config = DqnConfig.defaults().toBuilder()
                    .seed(seed)
                    .numEnvs(COPIES)
                    .totalSteps(STEP_BUDGET)
                    .backend(DqnConfig.Backend.JAVA)
                    .build();
            try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, EnvOptions.of(ENV_ID), COPIES);
                    RemoteEnv evalEnv = RemoteEnv.connect(channel, EnvOptions.of(ENV_ID));
                    DqnAgent agent = DqnAgent.create(config, 4, 2)) {
                EvaluationLog evaluations = new EvaluationLog();
                TrainingListener.TrainingEnd end =
                        new Trainer(agent, env, Optional.of(evalEnv), List.of(evaluations)).train();
                String outcome = String.format(Locale.ROOT, "seed %d: %s after %.0f s, greedy means %s", seed,
                        end.solved() ? "solved at env step " + end.solvedAtStep() : "not solved", end.seconds(),
                        evaluations);
                if (end.solved()) {
                    assertTrue(end.solvedAtStep() <= STEP_BUDGET, "solve reported past the budget: " + outcome);
                    Evaluation.Result fresh = Evaluation.evaluate(agent, evalEnv, 20, FRESH_EPISODES_SEED);
                    outcome += "; on fresh episodes " + fresh;
                    solved++;
                }
                outcomes.add(outcome);
            }
        }
        System.out.println("defaults on containerised " + ENV_ID + ", " + COPIES + " copies:\n  "
                + String.join("\n  ", outcomes));
        assertTrue(solved >= REQUIRED_SOLVES, "solved for only " + solved + " of " + SEEDS.length + " seeds:\n  "
                + String.join("\n  ", outcomes));
    }

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
