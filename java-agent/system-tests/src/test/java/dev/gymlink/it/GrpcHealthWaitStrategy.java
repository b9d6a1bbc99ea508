package dev.gymlink.it;

import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnvs;
import io.grpc.ManagedChannel;
import java.time.Duration;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until the container's gRPC health service reports the env service
 * ({@value RemoteEnvs#HEALTH_SERVICE}) as SERVING: a listening port alone does not mean the server
 * accepts sessions.
 */
final class GrpcHealthWaitStrategy extends AbstractWaitStrategy {

    private final int containerPort;

    GrpcHealthWaitStrategy(int containerPort) {
        this.containerPort = containerPort;
    }

    @Override
    protected void waitUntilReady() {
        String target = waitStrategyTarget.getHost() + ":" + waitStrategyTarget.getMappedPort(containerPort);
        ManagedChannel channel = GymlinkChannels.forTarget(target);
        try {
            RemoteEnvs.awaitServing(channel, startupTimeout);
        } catch (EnvUnavailableException e) {
            throw new ContainerLaunchException("the env server container at " + target + " never became healthy: "
                    + e.getMessage() + "; its log:\n" + waitStrategyTarget.getLogs(), e);
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
    }
}
