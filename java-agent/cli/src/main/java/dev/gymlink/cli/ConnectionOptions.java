package dev.gymlink.cli;

import dev.gymlink.env.remote.ConnectionSecurity;
import dev.gymlink.env.remote.ConnectionListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How every command that talks to an env server connects: TLS, client certificate, bearer token
 * (SECURITY.md) and the request deadline. Without flags: plaintext, no token, as a server on
 * loopback expects.
 */
final class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--tls", description = "Connect with TLS, trusting the system's CAs.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect with TLS, trusting the CA in this PEM file (e.g. one made by"
                    + " python -m gymlink_server.devcerts).")
    Path trustedCa;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Client certificate (PEM) for a server that requires one (mutual TLS); with --tls-key.")
    Path clientCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Private key (PEM) of --tls-cert.")
    Path clientKey;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:" + ConnectionSecurity.TOKEN_FILE_ENV + "}",
            description = "Send the bearer token in this file (its first line that is not blank or a # comment)"
                    + " on every call (env var " + ConnectionSecurity.TOKEN_FILE_ENV + ").")
    Path tokenFile;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Longest a reset or step may take on the server before the client gives up"
                    + " (default: ${DEFAULT-VALUE}).")
    double requestTimeoutSeconds;

    /** The security settings the flags describe. */
    ConnectionSecurity security() {
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new ParameterException(mixee.commandLine(), "--tls-cert and --tls-key go together: give both or"
                    + " neither");
        }
        ConnectionSecurity security = tls ? ConnectionSecurity.tlsWithSystemTrust() : ConnectionSecurity.PLAINTEXT;
        if (trustedCa != null) {
            security = security.withTrustedCa(trustedCa);
        }
        if (clientCertificate != null) {
            security = security.withClientCertificate(clientCertificate, clientKey);
        }
        if (tokenFile != null) {
            try {
                security = security.withTokenFile(tokenFile);
            } catch (IOException e) {
                throw new CliException("cannot read the token file " + tokenFile + ": " + describe(e));
            }
        }
        return security;
    }

    /** The per-request deadline of remote envs. */
    Duration requestTimeout() {
        if (!(requestTimeoutSeconds > 0) || Double.isInfinite(requestTimeoutSeconds)) {
            throw new ParameterException(mixee.commandLine(), "--request-timeout must be a positive number of"
                    + " seconds, got " + requestTimeoutSeconds);
        }
        return Duration.ofNanos((long) (requestTimeoutSeconds * 1e9));
    }

    /** How remote envs connect, as these flags say; nobody listens to connection events yet. */
    EnvConnections.Remote remote() {
        return new EnvConnections.Remote(security(), requestTimeout(), ConnectionListener.NONE);
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    }
}
