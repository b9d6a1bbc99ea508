package dev.gymlink.cli;

import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.env.Box;
import dev.gymlink.env.ConcatVectorEnv;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.Space;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.remote.ConnectionListener;
import dev.gymlink.env.remote.ConnectionSecurity;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteEnvs;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.env.remote.ServerInfo;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The envs a command works with, local or remote, and everything they hold open (server
 * channels). Closing this closes the envs first, then the channels.
 */
final class EnvConnections implements AutoCloseable {

    private final String envId;
    private final TunedHyperparameters.EnvSettings settings;
    private final EnvBackend backend;
    private final Servers servers;
    private final Remote remote;
    /** Which agent the envs are for: their spaces are checked against it. */
    private final Algorithm algorithm;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /**
     * How remote envs connect: security (TLS, token), request deadline, and who hears about lost
     * connections, reconnects and replays.
     */
    record Remote(ConnectionSecurity security, Duration requestTimeout, ConnectionListener listener) {
        /** Plaintext, the default deadline, nobody listening. */
        static final Remote DEFAULT =
                new Remote(ConnectionSecurity.PLAINTEXT, EnvOptions.DEFAULT_REQUEST_DEADLINE, ConnectionListener.NONE);

        Remote withListener(ConnectionListener newListener) {
            return new Remote(security, requestTimeout, newListener);
        }
    }

    private EnvConnections(String envId, TunedHyperparameters.EnvSettings settings, EnvBackend backend, Servers servers,
            Remote remote, Algorithm algorithm) {
        this.algorithm = algorithm;
        this.envId = envId;
        this.settings = settings;
        this.backend = backend;
        this.servers = servers;
        this.remote = remote;
    }

    /**
     * @param settings what the env is made with besides its id (kwargs, time limit)
     * @param backend {@link EnvBackend#LOCAL} or {@link EnvBackend#REMOTE}
     * @param serverAddresses servers for remote envs (ignored for local ones)
     * @param remote how remote envs connect (ignored for local ones)
     */
    static EnvConnections open(String envId, TunedHyperparameters.EnvSettings settings, EnvBackend backend,
            List<ServerAddress> serverAddresses, Remote remote) {
        return open(envId, settings, backend, serverAddresses, remote, Algorithm.DQN);
    }

    /**
     * As {@link #open(String, TunedHyperparameters.EnvSettings, EnvBackend, List, Remote)}, for envs
     * that {@code algorithm} trains on ({@link Algorithm#AUTO}: any spaces, to find out which they are).
     */
    static EnvConnections open(String envId, TunedHyperparameters.EnvSettings settings, EnvBackend backend,
            List<ServerAddress> serverAddresses, Remote remote, Algorithm algorithm) {
        if (backend == EnvBackend.AUTO) {
            throw new IllegalArgumentException("resolve the env backend before opening envs");
        }
        if (backend == EnvBackend.LOCAL && !JavaEnvs.has(envId)) {
            throw JavaEnvs.noJavaPort(envId);
        }
        if (backend == EnvBackend.LOCAL && !settings.kwargs().isEmpty()) {
            throw new CliException(envId + " is made with " + settings.kwargs() + ", which only Gymnasium takes: use"
                    + " --env-backend remote");
        }
        Servers servers = backend == EnvBackend.REMOTE ? Servers.open(serverAddresses, remote.security()) : null;
        return new EnvConnections(envId, settings, backend, servers, remote, algorithm);
    }

    /** Where the envs run, for messages: "built-in Java env" or the server list. */
    String where() {
        if (backend == EnvBackend.LOCAL) {
            return "the built-in Java env";
        }
        List<String> labels = new ArrayList<>();
        servers.servers().forEach(server -> labels.add(server.label()));
        return (labels.size() == 1 ? "server " : labels.size() + " servers ") + String.join(", ", labels);
    }

    /**
     * {@code numEnvs} copies stepped together; remote copies are spread round robin over the
     * servers, one vector session per server.
     */
    VectorEnv vector(int numEnvs) throws EnvException {
        VectorEnv env;
        if (backend == EnvBackend.LOCAL) {
            env = SyncVectorEnv.create(numEnvs, index -> JavaEnvs.make(envId, settings.maxEpisodeSteps()));
        } else {
            List<ManagedChannel> channels = servers.sessionChannels();
            int[] counts = Servers.spread(numEnvs, channels.size());
            List<VectorEnv> parts = new ArrayList<>();
            try {
                for (int i = 0; i < counts.length; i++) {
                    parts.add(RemoteVectorEnv.connect(channels.get(i), remoteOptions(), counts[i]));
                }
            } catch (RuntimeException e) {
                parts.forEach(VectorEnv::close);
                throw e;
            }
            env = parts.size() == 1 ? parts.get(0) : new ConcatVectorEnv(parts);
        }
        opened.push(env);
        requireTrainable(env.singleObservationSpace(), env.singleActionSpace());
        return env;
    }

    /** One copy, e.g. for greedy evaluation; with {@code render} it can draw RGB frames. */
    Env single(boolean render) throws EnvException {
        Env env;
        if (backend == EnvBackend.LOCAL) {
            env = JavaEnvs.make(envId, settings.maxEpisodeSteps());
        } else {
            EnvOptions options = remoteOptions();
            env = RemoteEnv.connect(servers.first().channel(), render ? options.withRenderMode("rgb_array") : options);
        }
        opened.push(env);
        requireTrainable(env.observationSpace(), env.actionSpace());
        return env;
    }

    /** Versions of the (first) server and its Gymnasium, for provenance; empty for local envs. */
    Map<String, String> serverVersions() throws EnvException {
        if (backend == EnvBackend.LOCAL) {
            return Map.of();
        }
        ServerInfo info = RemoteEnvs.listEnvs(servers.first().channel()).server();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("server", servers.first().label());
        versions.put("gymlink_server", info.serverVersion());
        versions.put("protocol", info.protocolVersion());
        versions.put("gymnasium", info.gymnasiumVersion());
        versions.put("python", info.pythonVersion());
        return versions;
    }

    private EnvOptions remoteOptions() {
        EnvOptions options = EnvOptions.of(envId).withKwargs(settings.kwargs())
                .withRequestDeadline(remote.requestTimeout())
                .withConnectionListener(remote.listener());
        return settings.maxEpisodeSteps().isPresent()
                ? options.withMaxEpisodeSteps(settings.maxEpisodeSteps().getAsInt()) : options;
    }

    private void requireTrainable(Space observationSpace, Space actionSpace) {
        Optional<String> problem = algorithm.problem(envId, observationSpace, actionSpace);
        if (problem.isPresent()) {
            String hint = algorithm != Algorithm.DQN || actionSpace instanceof Discrete ? ""
                    : actionSpace instanceof Box ? ": train it with SAC (--algo sac, or leave --algo out)"
                    : ": choose an env with Discrete actions, e.g. CartPole-v1, Acrobot-v1 or MountainCar-v0";
            throw new CliException(problem.get() + hint + " ('" + Gymlink.programName()
                    + " envs' lists a server's envs)");
        }
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                // Closing is best effort: the run's results are already written.
            }
        }
        if (servers != null) {
            servers.close();
        }
    }
}
