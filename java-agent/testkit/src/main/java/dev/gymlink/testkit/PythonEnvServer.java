package dev.gymlink.testkit;

import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnvs;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Python env server ({@code python -m gymlink_server}) as a subprocess of a test, on a
 * free port: started, waited for until its health service reports SERVING, killed on close.
 *
 * <p>The interpreter is {@code $GYMLINK_PYTHON}, else the checkout's project virtualenv
 * {@code python-env-server/.venv} (which {@code scripts/server-venv.sh} makes), else {@code python3}.
 * This checkout's {@code python-env-server/src} goes first on {@code PYTHONPATH}, so the server under
 * test is the one in the tree even when another version is installed; its dependencies (grpcio,
 * gymnasium) must be installed in that interpreter.
 *
 * <p>{@link #shared()} gives one server per test JVM for the many tests that only need a server;
 * tests that kill or restart it start their own with {@link #start(String...)}.
 *
 * <pre>{@code
 * try (PythonEnvServer server = PythonEnvServer.start()) {
 *     ManagedChannel channel = server.newChannel();
 *     try (RemoteEnv env = RemoteEnv.connect(channel, EnvOptions.of("CartPole-v1"))) { ... }
 *     GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class PythonEnvServer implements AutoCloseable {

    private static final String LISTENING_PREFIX = "gymlink-server listening on ";
    private static final Pattern LISTENING = Pattern.compile(LISTENING_PREFIX + "(\\S+):(\\d+)");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int KEPT_OUTPUT_LINES = 200;

    private static PythonEnvServer shared;

    private final List<String> extraArgs;
    private final List<Path> extraPythonPath;
    private final Deque<String> output = new ArrayDeque<>();
    private Process process;
    private String host;
    private int port;
    /** Set when the server listens on a unix socket instead of host:port. */
    private Path unixSocket;

    private PythonEnvServer(List<String> extraArgs, List<Path> extraPythonPath) {
        this.extraArgs = List.copyOf(extraArgs);
        this.extraPythonPath = List.copyOf(extraPythonPath);
    }

    /** Starts a server on a free port with extra command-line flags, e.g. {@code --max-sessions 2}. */
    public static PythonEnvServer start(String... extraArgs) {
        PythonEnvServer server = new PythonEnvServer(List.of(extraArgs), List.of());
        server.launch(0);
        return server;
    }

    /** Starts a server listening on the unix socket {@code socket} (made there, removed on exit). */
    public static PythonEnvServer startOnUnixSocket(Path socket, String... extraArgs) {
        PythonEnvServer server = new PythonEnvServer(List.of(extraArgs), List.of());
        server.unixSocket = socket.toAbsolutePath();
        server.launch(0);
        return server;
    }

    /**
     * Starts a server that also serves the test-only envs of {@code python-env-server/tests/structured_envs.py}
     * ({@code GymlinkTest/Echo*}: Graph, Sequence, OneOf and Text spaces, which no Gymnasium env has);
     * {@code tests/with_test_envs} on its PYTHONPATH registers them as the interpreter starts.
     */
    public static PythonEnvServer startWithTestEnvs(String... extraArgs) {
        Path checkout = serverCheckoutDir();
        if (checkout == null) {
            throw new IllegalStateException("the test envs live in python-env-server/tests of a checkout; none found "
                    + "above " + Path.of("").toAbsolutePath());
        }
        PythonEnvServer server = new PythonEnvServer(List.of(extraArgs),
                List.of(checkout.resolve("tests").resolve("with_test_envs")));
        server.launch(0);
        return server;
    }

    /** One server for the whole test JVM, started on first use and killed when the JVM exits. */
    public static synchronized PythonEnvServer shared() {
        if (shared == null || !shared.isAlive()) {
            shared = start();
            PythonEnvServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "python-env-server-shutdown"));
        }
        return shared;
    }

    /** {@code host:port} or {@code unix:///path}, ready for {@link GymlinkChannels#forTarget(String)}. */
    public String target() {
        return unixSocket != null ? GymlinkChannels.UNIX_SCHEME + "//" + unixSocket : host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** A new plaintext channel to this server; the caller closes it (for a TLS server build one with GymlinkChannels). */
    public ManagedChannel newChannel() {
        return GymlinkChannels.forTarget(target());
    }

    /** CPU time the server process has used so far, where the OS reports it (benchmarks). */
    public Optional<Duration> cpuTime() {
        return process == null ? Optional.empty() : process.toHandle().info().totalCpuDuration();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (SIGKILL): no draining, connections just break. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
    }

    /** Starts the server again on the same port, e.g. after {@link #kill()}. */
    public void restart() {
        kill();
        launch(port);
    }

    private void launch(int requestedPort) {
        // A short drain on close keeps test runs quick; extra args come last, so they can override it.
        List<String> command = new ArrayList<>(List.of(python(), "-u", "-m", "gymlink_server", "--shutdown-grace", "1"));
        command.addAll(unixSocket != null ? List.of("--unix-socket", unixSocket.toString())
                : List.of("--host", "127.0.0.1", "--port", Integer.toString(requestedPort)));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        List<String> pythonPath = new ArrayList<>(extraPythonPath.stream().map(Path::toString).toList());
        Path source = serverSourceDir();
        if (source != null) {
            pythonPath.add(source.toString());
        }
        String existing = System.getenv("PYTHONPATH");
        if (existing != null && !existing.isEmpty()) {
            pythonPath.add(existing);
        }
        if (!pythonPath.isEmpty()) {
            builder.environment().put("PYTHONPATH", String.join(java.io.File.pathSeparator, pythonPath));
        }
        synchronized (output) {
            output.clear();
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the env server with " + command
                    + ": set GYMLINK_PYTHON to a Python 3 interpreter (" + e.getMessage() + ")", e);
        }
        CompletableFuture<int[]> bound = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(bound), "python-env-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int[] hostAndPort = bound.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            port = hostAndPort[0];
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("the env server printed no 'listening on' line within "
                    + STARTUP_TIMEOUT.toSeconds() + " s; its output:\n" + recentOutput());
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the env server", e);
        }
        if (extraArgs.contains("--tls-cert")) {
            // A plaintext health check cannot reach a TLS server; it prints 'listening on' once bound.
            return;
        }
        ManagedChannel channel = newChannel();
        try {
            RemoteEnvs.awaitServing(channel, STARTUP_TIMEOUT);
        } catch (EnvUnavailableException e) {
            close();
            throw new IllegalStateException(e.getMessage() + "; its output:\n" + recentOutput(), e);
        } finally {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
    }

    private void readOutput(CompletableFuture<int[]> bound) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                keep(line);
                Matcher matcher = LISTENING.matcher(line);
                boolean onUnixSocket = line.startsWith(LISTENING_PREFIX + GymlinkChannels.UNIX_SCHEME);
                if (!bound.isDone() && unixSocket != null && onUnixSocket) {
                    bound.complete(new int[] {0});
                } else if (!bound.isDone() && matcher.find()) {
                    host = matcher.group(1);
                    bound.complete(new int[] {Integer.parseInt(matcher.group(2))});
                }
            }
        } catch (IOException e) {
            // the process was killed; what it printed so far is kept
        }
        if (!bound.isDone()) {
            String text = recentOutput();
            String hint = text.contains("No module named") || text.contains("ModuleNotFoundError")
                    ? "the env server or one of its dependencies is not importable by " + python()
                            + "; run scripts/server-venv.sh to make the project's virtualenv (or set GYMLINK_PYTHON)"
                    : "the env server exited before listening";
            bound.completeExceptionally(new IllegalStateException(hint + "; its output:\n" + text));
        }
    }

    private void keep(String line) {
        synchronized (output) {
            if (output.size() == KEPT_OUTPUT_LINES) {
                output.removeFirst();
            }
            output.addLast(line);
        }
        if (Boolean.getBoolean("gymlink.test.serverLog")) {
            System.err.println("[env server] " + line);
        }
    }

    /** The last lines the server printed (stdout and stderr), for failure messages. */
    public String recentOutput() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The interpreter that runs the server (see the class comment for the order). */
    public static String python() {
        String configured = System.getenv("GYMLINK_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path checkout = serverCheckoutDir();
        if (checkout != null) {
            Path venvPython = checkout.resolve(".venv").resolve("bin").resolve("python");
            if (Files.isExecutable(venvPython)) {
                return venvPython.toString();
            }
        }
        return "python3";
    }

    /**
     * Writes a throwaway CA, a server certificate for {@code serverName} (a DNS name or an IP), a
     * client certificate and a token file ({@code tokens}) into {@code directory}, with
     * {@code python -m gymlink_server.devcerts}: {@code ca.crt}, {@code server.crt/.key},
     * {@code client.crt/.key}, {@code tokens}.
     */
    public static void devCerts(Path directory, String serverName) {
        ProcessBuilder builder = new ProcessBuilder(python(), "-m", "gymlink_server.devcerts", directory.toString(),
                "--name", serverName).redirectErrorStream(true);
        Path source = serverSourceDir();
        if (source != null) {
            builder.environment().put("PYTHONPATH", source.toString());
        }
        try {
            Process process = builder.start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("gymlink_server.devcerts failed: " + printed);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot run " + python() + " -m gymlink_server.devcerts", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making certificates", e);
        }
    }

    /** {@code python-env-server/src} of this checkout, if the tests run inside one. */
    private static Path serverSourceDir() {
        Path checkout = serverCheckoutDir();
        return checkout == null ? null : checkout.resolve("src");
    }

    /** This checkout's {@code python-env-server}, looked up from the working directory (a module's, in Maven). */
    private static Path serverCheckoutDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; dir != null && up < 5; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("python-env-server");
            if (Files.isDirectory(candidate.resolve("src").resolve("gymlink_server"))) {
                return candidate;
            }
        }
        return null;
    }

    private void waitForExit(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server: SIGTERM (it drains), then SIGKILL if it is still there after a few seconds. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit(Duration.ofSeconds(8));
            if (process.isAlive()) {
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return "PythonEnvServer(" + target() + (isAlive() ? "" : ", stopped") + ")";
    }
}
