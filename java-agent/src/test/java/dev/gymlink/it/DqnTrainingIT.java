package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Exploratory: how the defaults do against containerised CartPole-v1. */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DqnTrainingIT {

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
    void explore() throws Exception {
        int copies = Integer.getInteger("it.copies", 8);
        List<String> outcomes = new ArrayList<>();
        for (long seed = 1; seed <= Long.getLong("it.seeds", 5); seed++) {
            DqnConfig config = DqnConfig.defaults().toBuilder().seed(seed).numEnvs(copies)
                    .backend(DqnConfig.Backend.JAVA).build();
            long start = System.nanoTime();
            try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, EnvOptions.of("CartPole-v1"), copies);
                    RemoteEnv evalEnv = RemoteEnv.connect(channel, EnvOptions.of("CartPole-v1"));
                    DqnAgent agent = DqnAgent.create(config, 4, 2)) {
                List<Long> evalNanos = new ArrayList<>();
                TrainingListener timing = new TrainingListener() {
                    @Override
                    public void onEvaluation(EvaluationEnd evaluation) {
                        outcomes.add("  eval@" + evaluation.envStep() + " mean " + evaluation.meanReturn());
                    }
                };
                TrainingListener.TrainingEnd end = new Trainer(agent, env, Optional.of(evalEnv), List.of(timing)).train();
                outcomes.add("seed " + seed + ": " + end + " in " + (System.nanoTime() - start) / 1e9 + " s");
            }
            System.out.println(outcomes);
        }
        assertTrue(true);
    }
}
