package dev.gymlink.cli;

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
import java.util.Set;

/**
 * Channels to the env servers named on the command line. Owns them: closing this shuts them down.
 *
 * <p>A host name that resolves to several addresses of one family (a scaled compose service such
 * as {@code env-server}, which Docker's DNS answers with one address per replica) counts as several
 * servers, so env copies spread over every replica instead of all landing on the first.
 */
final class Servers implements AutoCloseable {

    /** One server to talk to: the address as the user wrote it and the resolved target used. */
    record Server(ServerAddress requested, String target, ManagedChannel channel) {
        /** How the server is named in messages: the requested address, plus the resolved one when it differs. */
        String label() {
            return target.equals(requested.target()) ? requested.target() : requested.target() + " (" + target + ")";
        }
    }

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final List<Server> servers;

    private Servers(List<Server> servers) {
        this.servers = List.copyOf(servers);
    }

    /** A resolved gRPC target and the address the user wrote for it. */
    record Target(ServerAddress requested, String target) {}

    static Servers open(List<ServerAddress> addresses) {
        List<Server> servers = new ArrayList<>();
        for (Target target : targets(addresses)) {
            servers.add(new Server(target.requested(), target.target(), GymlinkChannels.forTarget(target.target())));
        }
        return new Servers(servers);
    }

    List<Server> servers() {
        return servers;
    }

    Server first() {
        return servers.get(0);
    }

    int size() {
        return servers.size();
    }

    @Override
    public void close() {
        for (Server server : servers) {
            GymlinkChannels.shutdown(server.channel(), SHUTDOWN_GRACE);
        }
    }

    /** The targets of the addresses, multi-address host names expanded, duplicates dropped. */
    static List<Target> targets(List<ServerAddress> addresses) {
        Set<String> seen = new LinkedHashSet<>();
        List<Target> targets = new ArrayList<>();
        for (ServerAddress address : addresses) {
            for (String target : resolve(address)) {
                if (seen.add(target)) {
                    targets.add(new Target(address, target));
                }
            }
        }
        return targets;
    }

    /**
     * The targets for one address: itself, unless its host name resolves to more than one address of
     * the preferred family (IPv4, else IPv6). A name that does not resolve is kept as written, so the
     * connection attempt reports it in the user's own words.
     */
    static List<String> resolve(ServerAddress address) {
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(address.host());
        } catch (UnknownHostException | SecurityException e) {
            return List.of(address.target());
        }
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InetAddress each : resolved) {
            if (each instanceof Inet4Address) {
                v4.add(each);
            } else if (each instanceof Inet6Address) {
                v6.add(each);
            }
        }
        List<InetAddress> family = v4.isEmpty() ? v6 : v4;
        if (family.size() <= 1) {
            return List.of(address.target());
        }
        List<String> targets = new ArrayList<>();
        for (InetAddress each : family) {
            targets.add(new ServerAddress(each.getHostAddress(), address.port()).target());
        }
        targets.sort(null);
        return targets;
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
