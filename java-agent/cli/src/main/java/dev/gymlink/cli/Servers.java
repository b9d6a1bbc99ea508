package dev.gymlink.cli;

import dev.gymlink.env.remote.ConnectionSecurity;
import dev.gymlink.env.remote.GymlinkChannels;
import io.grpc.ManagedChannel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Channels to the env servers named on the command line, one per address as written. Owns them:
 * closing this shuts them down.
 *
 * <p>Names are grpc-java's business: each channel resolves its {@code host:port} itself and again
 * whenever it reconnects, so a server that comes back under a new address (a restarted pod behind a
 * headless Service, a recreated compose replica) is found. A host name that resolves to several
 * addresses (a scaled compose service, a headless Service) counts as one server per address found
 * at start: that many vector sessions are made on its channel, whose round-robin policy
 * ({@link GymlinkChannels}) sends each new session to the next ready address. A session re-made
 * after a reconnect goes wherever the policy sends it then, and exact replay (see
 * {@code RemoteVectorEnv}) makes that invisible to training. TLS checks the name as written, which
 * the server certificate must carry.
 */
final class Servers implements AutoCloseable {

    /**
     * One name to talk to, its channel, and how many addresses it had at start (the number of
     * vector sessions it gets).
     */
    record Server(ServerAddress requested, int addresses, ManagedChannel channel) {
        /** How the server is named in messages: the address as written, plus its address count when several. */
        String label() {
            return requested.target() + (addresses > 1 ? " (" + addresses + " addresses)" : "");
        }
    }

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final List<Server> servers;

    private Servers(List<Server> servers) {
        this.servers = List.copyOf(servers);
    }

    /** Plaintext channels without a token, as a server on loopback without security flags expects. */
    static Servers open(List<ServerAddress> addresses) {
        return open(addresses, ConnectionSecurity.PLAINTEXT);
    }

    static Servers open(List<ServerAddress> addresses, ConnectionSecurity security) {
        List<Server> servers = new ArrayList<>();
        try {
            for (ServerAddress address : distinct(addresses)) {
                servers.add(new Server(address, addressCount(address),
                        GymlinkChannels.forTarget(address.target(), security)));
            }
        } catch (RuntimeException e) {
            servers.forEach(server -> GymlinkChannels.shutdown(server.channel(), SHUTDOWN_GRACE));
            throw e;
        }
        return new Servers(servers);
    }

    List<Server> servers() {
        return servers;
    }

    Server first() {
        return servers.get(0);
    }

    /** The channel of each vector session: every server once per address it had at start. */
    List<ManagedChannel> sessionChannels() {
        List<ManagedChannel> channels = new ArrayList<>();
        for (Server server : servers) {
            for (int k = 0; k < server.addresses(); k++) {
                channels.add(server.channel());
            }
        }
        return channels;
    }

    @Override
    public void close() {
        for (Server server : servers) {
            GymlinkChannels.shutdown(server.channel(), SHUTDOWN_GRACE);
        }
    }

    /** The addresses with repeats dropped, in the order given. */
    static List<ServerAddress> distinct(List<ServerAddress> addresses) {
        return List.copyOf(new LinkedHashSet<>(addresses));
    }

    /**
     * How many addresses of the preferred family (IPv4, else IPv6) the host name has now; 1 for an
     * address literal or a name that does not resolve (the channel then reports it in the user's
     * own words).
     */
    static int addressCount(ServerAddress address) {
        if (address.isUnixSocket()) {
            return 1;
        }
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(address.host());
        } catch (UnknownHostException | SecurityException e) {
            return 1;
        }
        int v4 = 0;
        int v6 = 0;
        for (InetAddress each : resolved) {
            if (each instanceof Inet4Address) {
                v4++;
            } else if (each instanceof Inet6Address) {
                v6++;
            }
        }
        return Math.max(1, v4 > 0 ? v4 : v6);
    }

    /**
     * How many env copies each of {@code servers} runs: round robin, so counts differ by at most one
     * and the first servers get the extra copies.
     */
    static int[] spread(int numEnvs, int servers) {
        if (servers <= 0) {
            throw new IllegalArgumentException("need at least one server, got " + servers);
        }
        if (numEnvs < servers) {
            throw new CliException("--num-envs " + numEnvs + " is fewer than the " + servers
                    + " servers given: every server needs at least one env copy, so pass --num-envs " + servers
                    + " or more, or fewer servers");
        }
        int[] counts = new int[servers];
        for (int i = 0; i < numEnvs; i++) {
            counts[i % servers]++;
        }
        return counts;
    }
}
