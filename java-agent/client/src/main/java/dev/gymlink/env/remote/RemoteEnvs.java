package dev.gymlink.env.remote;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.proto.v1.EnvServiceGrpc;
import dev.gymlink.proto.v1.ListEnvsRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import dev.gymlink.proto.health.v1.HealthCheckRequest;
import dev.gymlink.proto.health.v1.HealthCheckResponse;
import dev.gymlink.proto.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Server-level calls (what a server offers, whether it serves) and the info keys remote envs add. */
public final class RemoteEnvs {

    /** Info key set to {@code true} on a step that a lost connection cut short (reported as truncated). */
    public static final String CONNECTION_LOST = "gymlink.connection_lost";
    /** Info key with the status that broke the connection, next to {@link #CONNECTION_LOST}. */
    public static final String CONNECTION_LOST_CAUSE = "gymlink.connection_lost_cause";
    /** Info key listing the info keys whose values the server could not convert. */
    public static final String DROPPED_INFO_KEYS = ValueCodec.DROPPED_INFO_KEYS;

    /** The service name the server registers with the gRPC health service. */
    public static final String HEALTH_SERVICE = "gymlink.v1.EnvService";

    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    private RemoteEnvs() {}

    /** The env ids a server allows, with their specs, and facts about the server. */
    public static EnvCatalog listEnvs(Channel channel) throws EnvException {
        return listEnvs(channel, DEFAULT_DEADLINE);
    }

    public static EnvCatalog listEnvs(Channel channel, Duration deadline) throws EnvException {
        try {
            var response = EnvServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                    .listEnvs(ListEnvsRequest.getDefaultInstance());
            try {
                return CatalogCodec.fromProto(response);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new dev.gymlink.env.EnvInternalException(
                        "malformed env list from " + channel.authority() + ": " + e.getMessage(), e);
            }
        } catch (StatusRuntimeException e) {
            var security = ConnectionDiagnosis.of(e.getStatus(), channel.authority(), GymlinkChannels.securityOf(channel));
            if (security.isPresent()) {
                throw security.get();
            }
            throw StatusMapping.fromStatus(e.getStatus(), "ListEnvs on " + channel.authority()
                    + " with a deadline of " + RemoteSession.describe(deadline));
        }
    }

    /** True when the server's health service reports the env service as SERVING. */
    public static boolean isServing(Channel channel, Duration deadline) {
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(HEALTH_SERVICE).build());
            return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    /** Polls the health service until the server serves, e.g. right after starting it. */
    public static void awaitServing(Channel channel, Duration timeout) throws EnvUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isServing(channel, Duration.ofSeconds(2))) {
            if (System.nanoTime() > deadline) {
                throw new EnvUnavailableException(channel.authority() + " did not report " + HEALTH_SERVICE
                        + " as SERVING within " + RemoteSession.describe(timeout));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvUnavailableException("interrupted while waiting for " + channel.authority(), e);
            }
        }
    }
}
