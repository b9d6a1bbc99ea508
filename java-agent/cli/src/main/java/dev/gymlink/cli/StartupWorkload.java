package dev.gymlink.cli;

import dev.gymlink.env.remote.GymlinkChannels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What {@code ./gymlink} runs once after it builds the jar, with
 * {@code -XX:ArchiveClassesAtExit}, to record the classes commands load into a class data sharing
 * archive: later commands map them from the archive instead of loading and verifying them from the
 * jar, which is most of a command's start-up. It needs no env server: a short local training run
 * loads the CLI, DQN, listener, chart and JSON classes, and a connection to a port nobody listens
 * on loads gRPC, netty and the protocol's messages. Prints nothing; exits 0 even when the connection
 * fails, as it must.
 */
public final class StartupWorkload {

    private StartupWorkload() {}

    /** How the two commands ended: the local run succeeds, the connection is refused. */
    record Outcome(int localTrainExitCode, int remoteTrainExitCode) {}

    public static void main(String[] args) throws IOException {
        Gymlink.configureJvm();
        run();
        System.exit(0);
    }

    static Outcome run() throws IOException {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Path scratch = Files.createTempDirectory("gymlink-startup-workload");
        try {
            int local = Gymlink.execute(new String[] {"train", "--env-backend", "local", "--steps", "600",
                    "--out", scratch.resolve("run").toString()}, nowhere, nowhere);
            int remote = Gymlink.execute(new String[] {"train", "--env-backend", "remote", "--steps", "600",
                    "--server", "127.0.0.1:" + unusedPort(), "--out", scratch.resolve("remote-run").toString()},
                    nowhere, nowhere);
            return new Outcome(local, remote);
        } finally {
            GymlinkChannels.releaseThreads(Duration.ofSeconds(1));
            deleteTree(scratch);
        }
    }

    /** A port that was free a moment ago: connecting to it is refused. */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
