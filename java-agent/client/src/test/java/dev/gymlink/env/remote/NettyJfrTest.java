package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * netty's JFR events are off in a JVM without a recording (registering them loads JFR on the path of
 * the first connection) and on in one started with a recording. netty reads the switch once per JVM,
 * so each case runs in a JVM of its own.
 */
class NettyJfrTest {

    @Test
    void offWithoutARecording() throws Exception {
        assertEquals("netty jfr events: false", probe());
    }

    @Test
    void onWhenTheJvmStartedWithARecording() throws Exception {
        assertEquals("netty jfr events: true", probe("-XX:StartFlightRecording"));
    }

    @Test
    void thePropertyDecidesWhenSet() throws Exception {
        assertEquals("netty jfr events: true", probe("-D" + GymlinkChannels.NETTY_JFR_PROPERTY + "=true"));
    }

    private static String probe(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), output);
        // JFR announces its recording first; the probe's answer is the last line.
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Steps a session over a TCP channel built by GymlinkChannels, then says what netty decided. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            ManagedChannel channel = GymlinkChannels.forTarget("localhost:1"); // never used: builds the class first
            Server server = NettyServerBuilder.forPort(0).addService(new FakeEnvService()).build().start();
            ManagedChannel used = GymlinkChannels.forTarget("localhost:" + server.getPort());
            try (RemoteEnv env = RemoteEnv.connect(used, EnvOptions.of(FakeEnvService.ENV_ID))) {
                env.reset();
                env.step(1);
            } finally {
                GymlinkChannels.shutdown(used, Duration.ofSeconds(5));
                GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                GymlinkChannels.releaseThreads(Duration.ofSeconds(5));
            }
            System.out.println("netty jfr events: " + PlatformDependent.isJfrEnabled());
        }
    }
}
