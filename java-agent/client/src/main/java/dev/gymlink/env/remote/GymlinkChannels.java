package dev.gymlink.env.remote;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Channels to an env server, set up for long training runs. The caller owns and closes them. */
public final class GymlinkChannels {

    /**
     * Pings an idle connection this often to notice a dead peer. Not lower: grpcio servers answer
     * pings more frequent than every 5 minutes on a connection without traffic with GOAWAY.
     */
    static final Duration KEEPALIVE_TIME = Duration.ofMinutes(5);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

    private GymlinkChannels() {}

    /** A plaintext channel to {@code host:port} accepting messages up to the default env size cap. */
    public static ManagedChannel forTarget(String target) {
        return forTarget(target, EnvOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
    }

    public static ManagedChannel forTarget(String target, int maxInboundMessageBytes) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target must be host:port, got '" + target + "'");
        }
        return NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .maxInboundMessageSize(maxInboundMessageBytes)
                .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build();
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
