package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gymlink.env.StepResult;
import dev.gymlink.testkit.PythonEnvServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link RemoteEnv} on the real server over a unix socket ({@code --unix-socket}): the same
 * seeded episode as over TCP, and a server killed and started again on the same socket path is
 * found again, the episode in flight replayed.
 */
class UnixSocketServerTest {

    private static final EnvOptions CARTPOLE = EnvOptions.of("CartPole-v1")
            .withReconnect(new ReconnectPolicy(20, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0));
    private static final int STEPS = 12;

    @Test
    void aSeededEpisodeOverTheSocketIsTheOneOverTcpAndSurvivesAServerRestart(@TempDir Path directory)
            throws Exception {
        assumeTrue(Epoll.isAvailable(), "unix sockets need netty's epoll transport (Linux)");
        List<StepResult> overTcp = seededEpisode(PythonEnvServer.shared(), null);

        Path socket = directory.resolve("env.sock");
        try (PythonEnvServer server = PythonEnvServer.startOnUnixSocket(socket)) {
            assertEquals("unix://" + socket.toAbsolutePath(), server.target());
            List<ConnectionListener.Event> events = new CopyOnWriteArrayList<>();
            List<StepResult> overSocket = seededEpisode(server, events);

            assertEquals(overTcp, overSocket);
            assertTrue(events.stream().anyMatch(e -> e.kind() == ConnectionListener.Kind.REPLAYED), events::toString);
            assertFalse(events.stream().anyMatch(e -> e.kind() == ConnectionListener.Kind.TRUNCATED), events::toString);
        }
    }

    /**
     * Steps a seeded CartPole episode; with {@code events}, kills and restarts the server half way
     * (the env reconnects and replays).
     */
    private static List<StepResult> seededEpisode(PythonEnvServer server, List<ConnectionListener.Event> events)
            throws Exception {
        ManagedChannel channel = server.newChannel();
        List<StepResult> steps = new ArrayList<>();
        EnvOptions options = events == null ? CARTPOLE : CARTPOLE.withConnectionListener(events::add);
        try (RemoteEnv env = RemoteEnv.connect(channel, options)) {
            env.reset(7);
            for (int t = 0; t < STEPS; t++) {
                if (events != null && t == STEPS / 2) {
                    server.restart();
                }
                steps.add(env.step(t % 3 == 0 ? 0 : 1));
            }
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
        return steps;
    }
}
