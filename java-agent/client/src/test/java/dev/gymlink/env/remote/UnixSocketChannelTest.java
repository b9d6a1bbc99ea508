package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.StepResult;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code unix:} targets: how they are read, what is refused, and a session over a real socket. */
class UnixSocketChannelTest {

    @Test
    void theTargetFormsOfGrpcsNamingDocumentGiveTheirPath() {
        assertEquals(Path.of("/tmp/env.sock"), GymlinkChannels.unixSocketPath("unix:///tmp/env.sock"));
        assertEquals(Path.of("/tmp/env.sock"), GymlinkChannels.unixSocketPath("unix:/tmp/env.sock"));
        assertEquals(Path.of("run/env.sock"), GymlinkChannels.unixSocketPath("unix:run/env.sock"));
        assertTrue(GymlinkChannels.isUnixSocket("UNIX:///tmp/env.sock"));
        assertFalse(GymlinkChannels.isUnixSocket("localhost:50051"));
        assertFalse(GymlinkChannels.isUnixSocket("unixbox:50051"));
    }

    @Test
    void aHostInAUnixTargetIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GymlinkChannels.forTarget("unix://trainer-box/tmp/env.sock"));
        assertEquals("unix socket target 'unix://trainer-box/tmp/env.sock' names a host ('trainer-box'); a unix socket"
                + " is on this machine: write unix:///absolute/path or unix:relative/path", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix:", "unix://", "unix:///", "unix:/tmp/"})
    void aUnixTargetWithoutASocketFileIsRefused(String target) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GymlinkChannels.forTarget(target));
        assertTrue(e.getMessage().startsWith("unix socket target '" + target + "' names no socket file"),
                e.getMessage());
    }

    @Test
    void tlsOnAUnixSocketIsRefusedWithTheReason() {
        ConnectionSecurity tls = ConnectionSecurity.tlsWithSystemTrust();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GymlinkChannels.forTarget("unix:///tmp/env.sock", tls));
        assertTrue(e.getMessage().contains("is a unix socket, which the env server serves in plaintext"),
                e.getMessage());
    }

    @Test
    void aMistypedSocketPathIsNamedAndSaysTheFileIsMissing(@TempDir Path directory) {
        assumeTrue(Epoll.isAvailable(), "unix sockets need netty's epoll transport (Linux)");
        Path missing = directory.resolve("no-such.sock");
        ManagedChannel channel = GymlinkChannels.forTarget("unix:" + missing);
        try {
            EnvUnavailableException e = assertThrows(EnvUnavailableException.class,
                    () -> RemoteEnv.connect(channel, EnvOptions.of(FakeEnvService.ENV_ID)));
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("io exception: FileNotFoundException"), e.getMessage());
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
    }

    @Test
    void aRemoteEnvStepsOverAUnixSocketAndNamesItWhenNobodyListens(@TempDir Path directory) throws Exception {
        assumeTrue(Epoll.isAvailable(), "unix sockets need netty's epoll transport (Linux)");
        Path socket = directory.resolve("env.sock");
        FakeEnvService service = new FakeEnvService();
        EventLoopGroup loop = new EpollEventLoopGroup(1);
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .bossEventLoopGroup(loop)
                .workerEventLoopGroup(loop)
                .addService(service)
                .build()
                .start();
        ManagedChannel channel = GymlinkChannels.forTarget("unix://" + socket);
        try {
            try (RemoteEnv env = RemoteEnv.connect(channel, EnvOptions.of(FakeEnvService.ENV_ID))) {
                env.reset();
                StepResult step = env.step(1);
                assertEquals(List.of(2.0), List.of(((dev.gymlink.env.Tensor) step.observation()).data()[0]));
            }
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            EnvUnavailableException e = assertThrows(EnvUnavailableException.class,
                    () -> RemoteEnv.connect(channel, EnvOptions.of(FakeEnvService.ENV_ID)));
            assertTrue(e.getMessage().contains(socket.toString()), e.getMessage());
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
            server.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
