package dev.gymlink.env.remote;

import java.util.List;
import java.util.Objects;

/**
 * Facts about an env server process, as its {@code ListEnvs} reports them.
 *
 * @param serverVersion gymlink_server package version
 * @param protocolVersion wire protocol version, e.g. {@code gymlink.v1}
 * @param gymnasiumVersion the server's {@code gymnasium.__version__}
 * @param pythonVersion the server's Python version
 * @param capabilities optional features sessions may ask for
 * @param maxSessions most sessions served at once
 * @param maxMessageBytes largest message the server accepts or sends
 * @param activeSessions sessions open when the server answered
 * @param unavailableFamilies env families that could not be loaded, with the reason
 */
public record ServerInfo(
        String serverVersion,
        String protocolVersion,
        String gymnasiumVersion,
        String pythonVersion,
        Capabilities capabilities,
        int maxSessions,
        long maxMessageBytes,
        int activeSessions,
        List<String> unavailableFamilies) {

    public ServerInfo {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(gymnasiumVersion, "gymnasiumVersion");
        Objects.requireNonNull(pythonVersion, "pythonVersion");
        Objects.requireNonNull(capabilities, "capabilities");
        unavailableFamilies = List.copyOf(unavailableFamilies);
    }

    /**
     * What sessions may ask for.
     *
     * @param vector vector sessions (several copies, autoreset)
     * @param render render requests with render mode {@code rgb_array}
     * @param sameStepAutoreset vector sessions that reset an ended copy within the same step
     * @param nextStepAutoreset vector sessions with Gymnasium's default next-step autoreset
     */
    public record Capabilities(boolean vector, boolean render, boolean sameStepAutoreset, boolean nextStepAutoreset) {}
}
