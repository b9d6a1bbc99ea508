package dev.gymlink.env.remote;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A connection to one env server, for people who write their own agents: it owns its channel and
 * makes envs on it, so one try-with-resources covers everything.
 *
 * <pre>{@code
 * try (GymClient gym = GymClient.connect("localhost:50051");
 *      Env env = gym.make("CartPole-v1")) {
 *     float[] observation = env.reset(42).floatObservation();
 *     StepResult step = env.step(1);
 * }
 * }</pre>
 *
 * <p>Connecting opens no connection yet (gRPC connects lazily): a wrong address fails at the first
 * {@code make}, {@link #listEnvs()} or {@link #isServing()}, with an
 * {@link EnvUnavailableException}. The envs are the same {@link RemoteEnv} and
 * {@link RemoteVectorEnv} that {@code connect(channel, ...)} makes, so their javadoc (deadlines,
 * reconnects, errors) holds.
 *
 * <p><b>Closing.</b> {@link #close()} first closes every env made here that is still open (each
 * ends its server session politely, waiting at most its request deadline), then shuts the channel
 * down, gracefully and after {@link #SHUTDOWN_GRACE} forcibly. Envs closed before are skipped; an
 * env used after its client closed fails with {@link EnvStateException}, as any closed env does.
 * In a try-with-resources the envs declared after the client close first, so nothing is left for
 * the client but the channel.
 *
 * <p>Thread-safe: several threads may make envs and list the catalog at once. Each env is used by
 * one thread at a time, like any Gymnasium env.
 */
public final class GymClient implements AutoCloseable {

    /** How long {@link #close()} lets calls in flight finish before it cuts the channel. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** Deadline of {@link #isServing()}. */
    private static final Duration HEALTH_DEADLINE = Duration.ofSeconds(5);

    private final ManagedChannel channel;
    /** Envs made here and not yet seen closed; pruned on every make. */
    private final List<AutoCloseable> envs = new ArrayList<>();
    private boolean closed;

    private GymClient(ManagedChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * A client of the server at {@code target} ({@code host:port}), over a plaintext channel set up
     * by {@link GymlinkChannels#forTarget(String)}.
     *
     * @throws IllegalArgumentException when the target is blank or not a valid gRPC target
     */
    public static GymClient connect(String target) {
        return new GymClient(GymlinkChannels.forTarget(target));
    }

    /**
     * A client of the server at {@code target}, secured as {@code security} says (TLS, client
     * certificate, bearer token; see SECURITY.md), over a channel set up by
     * {@link GymlinkChannels#forTarget(String, ConnectionSecurity)}.
     *
     * @throws IllegalArgumentException when the target is blank or not a valid gRPC target
     * @throws java.io.UncheckedIOException when a certificate, key or CA file cannot be read
     */
    public static GymClient connect(String target, ConnectionSecurity security) {
        return new GymClient(GymlinkChannels.forTarget(target, security));
    }

    /**
     * A client over a channel built elsewhere (a proxy, an in-process channel); the client
     * takes ownership and shuts it down on {@link #close()}.
     */
    public static GymClient over(ManagedChannel channel) {
        return new GymClient(channel);
    }

    /** The server's address as the channel names it. */
    public String target() {
        return channel.authority();
    }

    /** Makes {@code gymnasium.make(envId)} on the server, with every other option at its default. */
    public RemoteEnv make(String envId) throws EnvException {
        return make(EnvOptions.of(envId));
    }

    /** Makes the env the options describe (seed, kwargs, time limit, render mode, deadlines, reconnects). */
    public RemoteEnv make(EnvOptions options) throws EnvException {
        return track(() -> RemoteEnv.connect(channel, options));
    }

    /** Makes {@code numEnvs} copies of {@code envId} stepped together, with same-step autoreset. */
    public RemoteVectorEnv makeVector(String envId, int numEnvs) throws EnvException {
        return makeVector(EnvOptions.of(envId), numEnvs, AutoresetMode.SAME_STEP);
    }

    /** Makes {@code numEnvs} copies of the env the options describe, with same-step autoreset. */
    public RemoteVectorEnv makeVector(EnvOptions options, int numEnvs) throws EnvException {
        return makeVector(options, numEnvs, AutoresetMode.SAME_STEP);
    }

    /**
     * Makes {@code numEnvs} copies of the env the options describe, stepped together with the given
     * autoreset mode; the seed option seeds copy {@code i} with {@code seed + i}.
     */
    public RemoteVectorEnv makeVector(EnvOptions options, int numEnvs, AutoresetMode autoresetMode)
            throws EnvException {
        return track(() -> RemoteVectorEnv.connect(channel, options, numEnvs, autoresetMode));
    }

    /** The env ids the server allows, with their specs, and facts about the server. */
    public EnvCatalog listEnvs() throws EnvException {
        checkOpen("list envs");
        return RemoteEnvs.listEnvs(channel);
    }

    /** True when the server's health service reports the env service as SERVING (false when unreachable). */
    public boolean isServing() {
        return !isClosed() && RemoteEnvs.isServing(channel, HEALTH_DEADLINE);
    }

    /**
     * Waits until the server serves, e.g. right after starting it.
     *
     * @throws EnvUnavailableException when it does not within {@code timeout}
     */
    public void awaitServing(Duration timeout) throws EnvUnavailableException {
        checkOpen("wait for the server");
        RemoteEnvs.awaitServing(channel, timeout);
    }

    /** Closes the envs made here that are still open, then the channel. Closing twice is harmless. */
    @Override
    public void close() {
        List<AutoCloseable> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(envs);
            envs.clear();
        }
        try {
            for (AutoCloseable env : open) {
                closeEnv(env);
            }
        } finally {
            GymlinkChannels.shutdown(channel, SHUTDOWN_GRACE);
        }
    }

    @Override
    public String toString() {
        return "GymClient(" + target() + ")";
    }

    @FunctionalInterface
    private interface Maker<E extends AutoCloseable> {
        E make() throws EnvException;
    }

    private <E extends AutoCloseable> E track(Maker<E> maker) throws EnvException {
        checkOpen("make an env");
        E env = maker.make();
        synchronized (this) {
            if (!closed) {
                envs.removeIf(GymClient::isClosedEnv);
                envs.add(env);
                return env;
            }
        }
        closeEnv(env);
        throw new EnvStateException(this + " was closed while the env was being made");
    }

    private static boolean isClosedEnv(AutoCloseable env) {
        return env instanceof RemoteEnv remote ? remote.isClosed()
                : env instanceof RemoteVectorEnv vector && vector.isClosed();
    }

    /** Remote envs close without throwing (a failed close abandons the stream); anything else is a bug. */
    private static void closeEnv(AutoCloseable env) {
        try {
            env.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + env + " failed", e);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void checkOpen(String what) throws EnvStateException {
        if (isClosed()) {
            throw new EnvStateException("cannot " + what + ": " + this + " is closed");
        }
    }
}
