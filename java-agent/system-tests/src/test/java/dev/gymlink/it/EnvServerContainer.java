package dev.gymlink.it;

import com.github.dockerjava.api.DockerClient;
import dev.gymlink.env.remote.GymlinkChannels;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.MountableFile;

/**
 * The env server image built from {@code python-env-server/Dockerfile} as a Testcontainers
 * container: built from the checkout when the first container starts ({@link ProjectImages}),
 * never pulled, ready once it has printed its listening line and its gRPC health service reports
 * the env service SERVING.
 *
 * <p>The image is {@value #DEFAULT_IMAGE} unless the system property {@value #IMAGE_PROPERTY}
 * names another one (built too when it is a {@code gymlink/env-server} tag, else used as it is).
 */
public final class EnvServerContainer extends GenericContainer<EnvServerContainer> {

    public static final String IMAGE_PROPERTY = "gymlink.it.serverImage";
    /** The tag the container tests build the server image under. */
    public static final String DEFAULT_IMAGE = "gymlink/env-server:dev";
    /** The port the image's entry point serves on. */
    public static final int GRPC_PORT = 50051;
    /** The plaintext health-only port of a {@link #secured} container. */
    public static final int HEALTH_PORT = 8081;

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CHANNEL_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private ManagedChannel sharedChannel;

    public EnvServerContainer() {
        super(ProjectImages.server(imageName()));
        // A missing image that is not the project's then fails at once with "No such image" instead of a pull.
        withImagePullPolicy(image -> false);
        withExposedPorts(GRPC_PORT);
        // Replaces the image's default command: plaintext on the test's private port, as the image
        // default does (--insecure), and a short drain on SIGTERM keeps docker stop quick.
        withCommand("--insecure", "--shutdown-grace", "1");
        waitingFor(new WaitAllStrategy()
                .withStrategy(Wait.forLogMessage(".*gymlink-server listening on .*", 1))
                .withStrategy(new GrpcHealthWaitStrategy(GRPC_PORT))
                .withStartupTimeout(STARTUP_TIMEOUT));
    }

    /**
     * A container serving TLS and requiring a token, with the files {@code python -m
     * gymlink_server.devcerts} wrote into {@code tlsDir} ({@code server.crt}, {@code server.key},
     * {@code tokens}) copied in; ready once its plaintext health-only port
     * ({@value #HEALTH_PORT}, as the Kubernetes probes use it) reports SERVING.
     */
    public static EnvServerContainer secured(Path tlsDir) {
        EnvServerContainer container = new EnvServerContainer();
        for (String file : List.of("server.crt", "server.key", "tokens")) {
            // Readable by the image's user (uid 10001) whoever owns the files on the host.
            container.withCopyFileToContainer(MountableFile.forHostPath(tlsDir.resolve(file), 0644), "/tls/" + file);
        }
        container.withExposedPorts(GRPC_PORT, HEALTH_PORT);
        container.withCommand("--tls-cert", "/tls/server.crt", "--tls-key", "/tls/server.key",
                "--token-file", "/tls/tokens", "--health-port", Integer.toString(HEALTH_PORT), "--shutdown-grace", "1");
        container.waitingFor(new WaitAllStrategy()
                .withStrategy(Wait.forLogMessage(".*gymlink-server listening on .*", 1))
                .withStrategy(new GrpcHealthWaitStrategy(HEALTH_PORT))
                .withStartupTimeout(STARTUP_TIMEOUT));
        return container;
    }

    /** The server image these tests run, e.g. {@code gymlink/env-server:dev}. */
    public static String imageName() {
        String configured = System.getProperty(IMAGE_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_IMAGE : configured;
    }

    /**
     * Publishes the gRPC port on {@code hostPort} instead of a port Docker picks, so that the
     * server is found at the same address after the container was stopped and started again
     * (Docker picks a new random port on every start).
     */
    public EnvServerContainer withFixedHostPort(int hostPort) {
        addFixedExposedPort(hostPort, GRPC_PORT);
        return this;
    }

    /** A port no one listens on right now, for {@link #withFixedHostPort(int)}. */
    public static int freeHostPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** {@code host:port} of the server's gRPC port as seen from this JVM. */
    public String target() {
        return getHost() + ":" + getMappedPort(GRPC_PORT);
    }

    /** A new plaintext channel to the server; the caller shuts it down. */
    public ManagedChannel newChannel() {
        return GymlinkChannels.forTarget(target());
    }

    /** One channel to the server shared by a test class; shut down when the container stops. */
    public synchronized ManagedChannel channel() {
        if (sharedChannel == null) {
            sharedChannel = newChannel();
        }
        return sharedChannel;
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (sharedChannel != null) {
                GymlinkChannels.shutdown(sharedChannel, CHANNEL_SHUTDOWN_GRACE);
                sharedChannel = null;
            }
        }
        super.stop();
    }

    /** {@code docker stop}: SIGTERM, the server drains and exits; the container is kept. */
    public void stopServer() {
        docker().stopContainerCmd(getContainerId()).withTimeout((int) STOP_TIMEOUT.toSeconds()).exec();
    }

    /** {@code docker kill}: SIGKILL, connections just break; the container is kept. */
    public void killServer() {
        docker().killContainerCmd(getContainerId()).exec();
    }

    /** {@code docker start} of the stopped or killed container (same ports when they are fixed). */
    public void startServerAgain() {
        docker().startContainerCmd(getContainerId()).exec();
    }

    /** {@code docker pause}: the server process freezes; its connections stay open and go silent. */
    public void pauseServer() {
        docker().pauseContainerCmd(getContainerId()).exec();
    }

    public void unpauseServer() {
        docker().unpauseContainerCmd(getContainerId()).exec();
    }

    private DockerClient docker() {
        return getDockerClient();
    }
}
