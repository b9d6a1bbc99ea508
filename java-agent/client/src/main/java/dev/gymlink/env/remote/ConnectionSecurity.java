package dev.gymlink.env.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client proves who it talks to and who it is: TLS or plaintext, which CA it trusts, an
 * optional client certificate (mutual TLS) and an optional bearer token. {@link #PLAINTEXT} (no
 * TLS, no token) is what a server on loopback without flags expects; SECURITY.md says how to set
 * up the rest. {@link GymlinkChannels#forTarget(String, ConnectionSecurity)} turns it into a
 * channel.
 *
 * @param tls connect with TLS
 * @param trustedCa PEM file of the CA to trust instead of the system's; implies TLS
 * @param clientCertificate PEM certificate chain presented to a server that asks for one
 * @param clientKey PEM private key of {@code clientCertificate}
 * @param token bearer token sent as {@code authorization: Bearer <token>} on every call
 */
public record ConnectionSecurity(
        boolean tls,
        Optional<Path> trustedCa,
        Optional<Path> clientCertificate,
        Optional<Path> clientKey,
        Optional<String> token) {

    /** No TLS, no token: a server on loopback started without security flags. */
    public static final ConnectionSecurity PLAINTEXT =
            new ConnectionSecurity(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** The environment variable naming a token file, used when no token file is given. */
    public static final String TOKEN_FILE_ENV = "GYMLINK_TOKEN_FILE";

    public ConnectionSecurity {
        Objects.requireNonNull(trustedCa, "trustedCa");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(token, "token");
        if (clientCertificate.isPresent() != clientKey.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate: give"
                    + " both (--tls-cert FILE --tls-key FILE) or neither");
        }
        tls = tls || trustedCa.isPresent() || clientCertificate.isPresent();
        token.ifPresent(value -> {
            if (value.isBlank() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("a bearer token must be printable ASCII without spaces");
            }
        });
    }

    /** TLS trusting the system's CAs. */
    public static ConnectionSecurity tlsWithSystemTrust() {
        return PLAINTEXT.withTls();
    }

    /** TLS trusting the CA in this PEM file. */
    public static ConnectionSecurity tlsTrusting(Path caFile) {
        return PLAINTEXT.withTrustedCa(caFile);
    }

    public ConnectionSecurity withTls() {
        return new ConnectionSecurity(true, trustedCa, clientCertificate, clientKey, token);
    }

    public ConnectionSecurity withTrustedCa(Path caFile) {
        return new ConnectionSecurity(true, Optional.of(caFile), clientCertificate, clientKey, token);
    }

    /** Presents this client certificate and key (mutual TLS); implies TLS. */
    public ConnectionSecurity withClientCertificate(Path certificateFile, Path keyFile) {
        return new ConnectionSecurity(true, trustedCa, Optional.of(certificateFile), Optional.of(keyFile), token);
    }

    public ConnectionSecurity withToken(String bearerToken) {
        return new ConnectionSecurity(tls, trustedCa, clientCertificate, clientKey, Optional.of(bearerToken));
    }

    /** Sends the token read from this file: its first line that is neither blank nor a {@code #} comment. */
    public ConnectionSecurity withTokenFile(Path tokenFile) throws IOException {
        return withToken(readToken(tokenFile));
    }

    /**
     * The first line of a token file that is neither blank nor a {@code #} comment, stripped: the
     * server's file format (one token per line), so a client can be given the server's file.
     *
     * @throws IOException when the file cannot be read or holds no token
     */
    public static String readToken(Path tokenFile) throws IOException {
        for (String line : Files.readAllLines(tokenFile)) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                return stripped;
            }
        }
        throw new IOException(tokenFile + " holds no token (every line is blank or a # comment)");
    }

    /** How the connection is secured, for messages: e.g. "TLS (CA ca.crt), client certificate, token". */
    public String describe() {
        StringBuilder text = new StringBuilder(tls ? "TLS" : "plaintext");
        if (tls) {
            text.append(trustedCa.map(ca -> " (CA " + ca + ")").orElse(" (system trust)"));
        }
        clientCertificate.ifPresent(cert -> text.append(", client certificate ").append(cert));
        token.ifPresent(value -> text.append(", bearer token"));
        return text.toString();
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "ConnectionSecurity(" + describe() + ")";
    }
}
