package dev.gymlink.testkit;

import dev.gymlink.env.remote.GymlinkChannels;
import io.grpc.ManagedChannel;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A channel to the test JVM's {@link PythonEnvServer#shared() shared env server}, open for the
 * tests of one class: register it as a static field and call {@link #channel()} in the tests.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SharedServerChannel server = new SharedServerChannel();
 *
 * @Test
 * void steps() throws Exception {
 *     try (Env env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"))) { ... }
 * }
 * }</pre>
 */
public final class SharedServerChannel implements BeforeAllCallback, AfterAllCallback {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private ManagedChannel channel;

    @Override
    public void beforeAll(ExtensionContext context) {
        channel = PythonEnvServer.shared().newChannel();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (channel != null) {
            GymlinkChannels.shutdown(channel, SHUTDOWN_GRACE);
            channel = null;
        }
    }

    /** The open channel; only valid while the test class runs. */
    public ManagedChannel channel() {
        if (channel == null) {
            throw new IllegalStateException("SharedServerChannel is not open: register it with @RegisterExtension"
                    + " on a static field");
        }
        return channel;
    }
}
