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
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** How each channel built here is secured, so that a failed connection can be explained. */
    private static final Map<Channel, ConnectionSecurity> SECURITY = Collections.synchronizedMap(new WeakHashMap<>());

    private GymlinkChannels() {}

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

    public static ManagedChannel forTarget(String target, ConnectionSecurity security, int maxInboundMessageBytes) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target must be host:port, got '" + target + "'");
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target, credentials(security))
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
