package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The event loop threads of channels built by {@link GymlinkChannels} end on
 * {@link GymlinkChannels#releaseThreads}: a JVM exiting with one of them waiting in native code
 * waits 300 ms longer.
 */
class ChannelThreadsTest {

    private static final String THREAD_PREFIX = "gymlink-grpc";

    private static List<String> eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(THREAD_PREFIX))
                .toList();
    }

    private static void stepOnce(ManagedChannel channel) throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, EnvOptions.of(FakeEnvService.ENV_ID))) {
            env.reset();
            StepResult step = env.step(1);
            assertEquals(2.0, ((Tensor) step.observation()).data()[0]);
        }
    }

    @Test
    void releasingEndsTheEventLoopThreadsAndALaterChannelStartsNewOnes() throws Exception {
        Server server = NettyServerBuilder.forPort(0).addService(new FakeEnvService()).build().start();
        try {
            ManagedChannel first = GymlinkChannels.forTarget("localhost:" + server.getPort());
            stepOnce(first);
            assertFalse(eventLoopThreads().isEmpty(), "a TCP channel runs on gymlink's event loop threads");
            GymlinkChannels.shutdown(first, Duration.ofSeconds(5));

            GymlinkChannels.releaseThreads(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!eventLoopThreads().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(eventLoopThreads().isEmpty(), () -> "still running: " + eventLoopThreads());

            ManagedChannel second = GymlinkChannels.forTarget("localhost:" + server.getPort());
            try {
                stepOnce(second);
            } finally {
                GymlinkChannels.shutdown(second, Duration.ofSeconds(5));
            }
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            GymlinkChannels.releaseThreads(Duration.ofSeconds(5));
        }
    }
}
