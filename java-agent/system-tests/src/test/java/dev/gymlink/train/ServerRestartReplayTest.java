package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.remote.ConnectionListener;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.ReconnectPolicy;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.testkit.PythonEnvServer;
import dev.gymlink.train.listeners.MetricsCsvListener;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact replay end to end: a remote training run whose env server is killed (SIGKILL) mid-episode
 * and started again on the same port writes the same metrics.csv (but for the wall-clock column)
 * and ends with the same weights as the uninterrupted run with the same seed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ServerRestartReplayTest {

    private static final long STEPS = 6_000;
    /** Env step after which the server is killed: past learning_starts, mid-episode for every copy. */
    private static final long KILL_AT = 2_948;

    @TempDir
    Path runs;

    @Test
    void aRunThatSurvivesAServerRestartEqualsTheUninterruptedRun() throws Exception {
        Run uninterrupted = train(runs.resolve("uninterrupted"), -1);
        Run restarted = train(runs.resolve("restarted"), KILL_AT);

        List<ConnectionListener.Kind> kinds = restarted.events().stream().map(ConnectionListener.Event::kind).toList();
        assertTrue(kinds.contains(ConnectionListener.Kind.REPLAYED), "no replay happened: " + restarted.events());
        assertTrue(!kinds.contains(ConnectionListener.Kind.TRUNCATED), "an episode was truncated: "
                + restarted.events());
        assertEquals(withoutWallClock(uninterrupted.metrics()), withoutWallClock(restarted.metrics()));
        assertArrayEquals(uninterrupted.weights(), restarted.weights(), "final weights");
    }

    private record Run(List<String> metrics, float[] weights, List<ConnectionListener.Event> events) {}

    private static Run train(Path dir, long killAt) throws IOException {
        Files.createDirectories(dir);
        DqnConfig config = DqnConfig.defaults().toBuilder().seed(11).totalSteps(STEPS)
                .backend(NetworkBackend.JAVA).build();
        List<ConnectionListener.Event> events = new CopyOnWriteArrayList<>();
        EnvOptions options = EnvOptions.of("CartPole-v1").withConnectionListener(events::add)
                .withReconnect(new ReconnectPolicy(40, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0));
        PythonEnvServer server = PythonEnvServer.start();
        ManagedChannel channel = server.newChannel();
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, options, config.numEnvs());
                RemoteEnv evalEnv = RemoteEnv.connect(channel, options);
                DqnAgent agent = DqnAgent.create(config, 4, 2);
                MetricsCsvListener metrics = new MetricsCsvListener(dir.resolve(MetricsCsvListener.FILE_NAME))) {
            TrainingListener killer = new TrainingListener() {
                @Override
                public void afterStep(Trainer trainer) {
                    if (trainer.envSteps() == killAt) {
                        server.kill();
                        // Started again while the env is already retrying, so the reconnect backoff really runs.
                        restarts.add(CompletableFuture.runAsync(server::restart));
                    }
                }
            };
            new Trainer(agent, env, Optional.of(evalEnv), List.of(metrics, killer)).train();
            metrics.close();
            for (CompletableFuture<Void> restart : restarts) {
                restart.join();
            }
            assertEquals(killAt < 0 ? 0 : 1, restarts.size(), "kills");
            return new Run(Files.readAllLines(dir.resolve(MetricsCsvListener.FILE_NAME)),
                    agent.state().onlineParameters(), events);
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
            server.close();
        }
    }

    /** The rows without steps_per_second, the one column that depends on the machine. */
    private static List<String> withoutWallClock(List<String> rows) {
        int column = List.of(rows.get(0).split(",")).indexOf("steps_per_second");
        assertTrue(column >= 0, rows.get(0));
        List<String> kept = new ArrayList<>();
        for (String row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.split(",", -1)));
            cells.remove(column);
            kept.add(String.join(",", cells));
        }
        assertTrue(kept.size() > 50, "too few episodes to compare: " + kept.size());
        return kept;
    }
}
