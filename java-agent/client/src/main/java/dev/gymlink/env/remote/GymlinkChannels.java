package dev.gymlink.env.remote;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Channels to an env server, set up for long training runs: the one place that builds them, so
 * keepalive, message size and {@link ConnectionSecurity} (TLS, client certificates, the bearer
 * token) are the same for every command and test. The caller owns and closes them.
 *
 * <p>The token travels in an interceptor rather than as {@code CallCredentials} because grpc-java
 * applies call credentials only on secure transports, and a token on a loopback plaintext server
 * is a valid setup. Name resolution and reconnection are grpc-java's: a {@code host:port} target
 * is resolved again whenever the channel has to reconnect, so a server that comes back under a
 * new address is found; with several addresses the {@code round_robin} policy sends each new call
 * (each env session) to the next ready one.
 *
 * <p>A {@code unix:} target ({@code unix:///absolute/path} or {@code unix:relative/path}, as in
 * gRPC's naming document) reaches a server started with {@code --unix-socket} on the same machine:
 * plaintext, since the socket never leaves the machine and its file permissions decide who
 * connects, over netty's epoll transport (Linux only).
 *
 * <p>Every channel built here runs on one set of event loop threads that this class owns rather
 * than grpc-java's shared ones, so that {@link #releaseThreads} can end them before the JVM exits:
 * HotSpot's exit waits up to 300 ms for threads in native code, and an idle event loop thread sits
 * in {@code epoll_wait}, which made every remote command a third of a second slower to exit.
 */
public final class GymlinkChannels {

    /** The metadata key of the bearer token, as the server reads it. */
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * Pings an idle connection this often to notice a dead peer. Not lower: grpcio servers answer
     * pings more frequent than every 5 minutes on a connection without traffic with GOAWAY.
     */
    static final Duration KEEPALIVE_TIME = Duration.ofMinutes(5);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

    /** The scheme prefix of a unix domain socket target. */
    public static final String UNIX_SCHEME = "unix:";

    /** How each channel built here is secured, so that a failed connection can be explained. */
    private static final Map<Channel, ConnectionSecurity> SECURITY = Collections.synchronizedMap(new WeakHashMap<>());

    /** grpc-java's shaded netty reads this once, when its first buffer is allocated. */
    static final String NETTY_JFR_PROPERTY = "io.grpc.netty.shaded.io.netty.jfr.enabled";

    static {
        // netty's buffer allocator registers its JFR events with the first buffer it allocates, which
        // loads JFR's metadata: about 70 ms on the event loop while the first connection waits for it,
        // in every remote command, though no recording would take the events. They stay on when the
        // JVM was started with a recording; the property, when set, decides.
        if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
            System.setProperty(NETTY_JFR_PROPERTY, Boolean.toString(recordingAtStart()));
        }
    }

    private GymlinkChannels() {}

    private static boolean recordingAtStart() {
        try {
            return jdk.jfr.FlightRecorder.isInitialized();
        } catch (LinkageError e) { // a runtime image without the jdk.jfr module
            return false;
        }
    }

    /** A plaintext channel to {@code host:port} accepting messages up to the default env size cap. */
    public static ManagedChannel forTarget(String target) {
        return forTarget(target, ConnectionSecurity.PLAINTEXT);
    }

    public static ManagedChannel forTarget(String target, int maxInboundMessageBytes) {
        return forTarget(target, ConnectionSecurity.PLAINTEXT, maxInboundMessageBytes);
    }

    /**
     * A channel to {@code host:port} secured as {@code security} says.
     *
     * @throws UncheckedIOException when a certificate, key or CA file cannot be read
     */
    public static ManagedChannel forTarget(String target, ConnectionSecurity security) {
        return forTarget(target, security, EnvOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
    }

    /**
     * @throws IllegalArgumentException for a blank target, a malformed {@code unix:} target or TLS
     *     settings with one
     * @throws UnsupportedOperationException for a {@code unix:} target where netty's epoll
     *     transport is not available (not Linux)
     */
    public static ManagedChannel forTarget(String target, ConnectionSecurity security, int maxInboundMessageBytes) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target must be host:port or unix:///path, got '" + target + "'");
        }
        NettyChannelBuilder builder = (isUnixSocket(target)
                        ? unixSocketChannel(target, security)
                        : EventLoops.forTcp(NettyChannelBuilder.forTarget(target, credentials(security))))
                .maxInboundMessageSize(maxInboundMessageBytes)
                // One address: as pick_first. Several (a scaled service): each new session goes to the next.
                .defaultLoadBalancingPolicy("round_robin")
                .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        security.token().ifPresent(token -> builder.intercept(bearerToken(token)));
        ManagedChannel channel = builder.build();
        SECURITY.put(channel, security);
        return channel;
    }

    /** True for a {@code unix:} target. */
    public static boolean isUnixSocket(String target) {
        return target.regionMatches(true, 0, UNIX_SCHEME, 0, UNIX_SCHEME.length());
    }

    /**
     * The socket path of a {@code unix:} target: {@code unix:path} (relative or absolute) or
     * {@code unix://absolute_path}, whose empty authority makes {@code unix:///tmp/env.sock}.
     *
     * @throws IllegalArgumentException naming the target when it has no path or names a host
     */
    public static Path unixSocketPath(String target) {
        if (!isUnixSocket(target)) {
            throw new IllegalArgumentException("'" + target + "' is not a unix: target");
        }
        String rest = target.substring(UNIX_SCHEME.length());
        if (rest.startsWith("//") && rest.length() > 2) {
            int pathStart = rest.indexOf('/', 2);
            if (pathStart != 2) {
                throw new IllegalArgumentException("unix socket target '" + target + "' names a host ('"
                        + (pathStart < 0 ? rest.substring(2) : rest.substring(2, pathStart)) + "'); a unix socket is"
                        + " on this machine: write unix:///absolute/path or unix:relative/path");
            }
            rest = rest.substring(2);
        }
        if (rest.isEmpty() || rest.endsWith("/") || rest.equals("//")) {
            throw new IllegalArgumentException("unix socket target '" + target + "' names no socket file; write"
                    + " unix:///absolute/path or unix:relative/path");
        }
        return Path.of(rest);
    }

    private static NettyChannelBuilder unixSocketChannel(String target, ConnectionSecurity security) {
        Path path = unixSocketPath(target);
        if (security.tls()) {
            throw new IllegalArgumentException(target + " is a unix socket, which the env server serves in plaintext"
                    + " (the socket never leaves this machine; its file permissions decide who connects): drop the"
                    + " TLS settings, or connect over TCP");
        }
        if (!Epoll.isAvailable()) {
            throw new UnsupportedOperationException("unix socket target " + target + " needs netty's epoll transport"
                    + " (Linux on x86_64 or aarch64), which is unavailable here: "
                    + Epoll.unavailabilityCause().getMessage() + "; connect over TCP instead (--server HOST:PORT)");
        }
        // grpc-java's own unix: name resolver turns the target into the socket address.
        String absoluteTarget = UNIX_SCHEME + "//" + path.toAbsolutePath();
        return NettyChannelBuilder.forTarget(absoluteTarget, InsecureChannelCredentials.create())
                .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
                .eventLoopGroup(EventLoops.group())
                // grpc-java asks every transport for TCP keepalive, which a unix socket does not have: netty would
                // warn on each connect. HTTP/2 keepalive pings (below) still watch the connection.
                .withOption(ChannelOption.SO_KEEPALIVE, null);
    }

    /**
     * Ends the event loop threads of the channels built here, waiting up to {@code timeout}; a channel
     * built afterwards starts new ones. For a process about to exit, once its channels are shut down
     * (the command line calls it last): a channel still open loses its connection.
     */
    public static void releaseThreads(Duration timeout) {
        EventLoops.release(timeout);
    }

    /** The event loop threads of every channel built here: epoll where netty has it (Linux), else NIO. */
    private static final class EventLoops {
        private static EventLoopGroup group;

        static synchronized EventLoopGroup group() {
            if (group == null) {
                // Daemon threads, one per core as netty's default; a lockstep session keeps one busy.
                DefaultThreadFactory threads = new DefaultThreadFactory("gymlink-grpc", true);
                int count = Runtime.getRuntime().availableProcessors();
                group = Epoll.isAvailable() ? new EpollEventLoopGroup(count, threads)
                        : new NioEventLoopGroup(count, threads);
            }
            return group;
        }

        static NettyChannelBuilder forTcp(NettyChannelBuilder builder) {
            EventLoopGroup loops = group();
            return builder.eventLoopGroup(loops).channelType(
                    loops instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class,
                    InetSocketAddress.class);
        }

        static void release(Duration timeout) {
            EventLoopGroup ending;
            synchronized (EventLoops.class) {
                ending = group;
                group = null;
            }
            if (ending != null) {
                ending.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .awaitUninterruptibly(timeout.toMillis());
            }
        }
    }

    /** How {@code channel} is secured, when it was built here. */
    static Optional<ConnectionSecurity> securityOf(Channel channel) {
        return Optional.ofNullable(SECURITY.get(channel));
    }

    private static ChannelCredentials credentials(ConnectionSecurity security) {
        if (!security.tls()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        Path file = null;
        try {
            if (security.trustedCa().isPresent()) {
                file = security.trustedCa().get();
                tls.trustManager(file.toFile());
            }
            if (security.clientCertificate().isPresent()) {
                file = security.clientCertificate().get();
                tls.keyManager(file.toFile(), security.clientKey().orElseThrow().toFile());
            }
        } catch (IOException | RuntimeException e) {
            // grpc-java parses the PEM files here; name the file rather than show a parser's stack trace.
            throw new UncheckedIOException(new IOException("cannot use " + file + " for TLS: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e));
        }
        return tls.build();
    }

    /** Adds {@code authorization: Bearer <token>} to every call. */
    private static ClientInterceptor bearerToken(String token) {
        String value = "Bearer " + token;
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, value);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** Shuts a channel down gracefully, then forcibly after {@code grace}. */
    public static void shutdown(ManagedChannel channel, Duration grace) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
    }
}
