package dev.gymlink.env.remote;

import dev.gymlink.env.EnvSecurityException;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Says what is wrong when a connection fails for a reason of security rather than reachability:
 * grpc-java reports all of them as UNAVAILABLE with a Netty or JSSE cause (or none), which would
 * read as "the server is unreachable". Each case gets its own one-line message naming the server
 * and what to change:
 * <ul>
 *   <li>the server's certificate is not signed by a trusted CA;
 *   <li>it is not valid for the name the client connects to;
 *   <li>a TLS client meets a plaintext server ({@code NotSslRecordException});
 *   <li>a plaintext client meets a TLS server: the server just closes the connection, so that case
 *       is confirmed by a TLS handshake on a separate socket ({@link #speaksTls}), which learns
 *       whether the server answers TLS and sends nothing over it;
 *   <li>a TLS client without a certificate meets a server that requires one (mutual TLS);
 *   <li>a missing or rejected token: UNAUTHENTICATED, the server's own message.
 * </ul>
 * Only failed connections come here, never the step path.
 */
final class ConnectionDiagnosis {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private ConnectionDiagnosis() {}

    /**
     * The security problem behind a failed call, if it is one.
     *
     * @param target the server as the channel names it ({@code host:port})
     * @param security how the channel was built, when {@link GymlinkChannels} built it
     */
    static Optional<EnvSecurityException> of(Status status, String target, Optional<ConnectionSecurity> security) {
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            String message = status.getDescription() == null ? "UNAUTHENTICATED" : status.getDescription();
            return Optional.of(new EnvSecurityException(target + " refused the call: " + message));
        }
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return Optional.empty();
        }
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            String text = String.valueOf(cause.getMessage());
            if (cause.getClass().getSimpleName().equals("NotSslRecordException")) {
                return problem(target + " speaks plaintext, not TLS: drop --tls/--tls-ca, or start the server"
                        + " with --tls-cert FILE --tls-key FILE", status);
            }
            if (cause instanceof CertificateException
                    && (text.contains("No subject alternative") || text.contains("No name matching"))) {
                return problem("the certificate of " + target + " is not valid for the name "
                        + host(target) + " (" + firstSentence(text) + "): connect with a name the certificate"
                        + " carries, or make the server a certificate for " + host(target)
                        + " (python -m gymlink_server.devcerts DIR --name " + host(target) + ")", status);
            }
            if (cause instanceof CertPathBuilderException || text.contains("unable to find valid certification path")
                    || text.contains("PKIX path")) {
                return problem("the certificate of " + target + " is not signed by a CA this client trusts: pass"
                        + " the CA that signed it with --tls-ca FILE", status);
            }
        }
        boolean tls = security.map(ConnectionSecurity::tls).orElse(false);
        if (status.getCause() instanceof SSLHandshakeException handshake) {
            return problem("the TLS handshake with " + target + " failed: " + deepestMessage(handshake), status);
        }
        if (status.getCause() == null && security.isPresent()) {
            if (!tls && speaksTls(target)) {
                return problem(target + " closed the connection: the server speaks TLS: add --tls or --tls-ca FILE",
                        status);
            }
            if (tls && security.get().clientCertificate().isEmpty() && speaksTls(target)) {
                return problem(target + " closed the TLS connection during the handshake: it probably requires a"
                        + " client certificate (mutual TLS): add --tls-cert FILE --tls-key FILE", status);
            }
        }
        return Optional.empty();
    }

    private static Optional<EnvSecurityException> problem(String message, Status status) {
        return Optional.of(new EnvSecurityException(message, status.asRuntimeException()));
    }

    /**
     * True when the server at {@code target} completes a TLS handshake. Trusts any certificate, since
     * it only asks whether the server speaks TLS at all; nothing is sent and the socket is closed.
     */
    static boolean speaksTls(String target) {
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = host(target);
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                int millis = (int) PROBE_TIMEOUT.toMillis();
                socket.connect(new InetSocketAddress(host, port), millis);
                socket.setSoTimeout(millis);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"h2"});
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return true;
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The host part of {@code host:port} or {@code [v6]:port}. */
    static String host(String target) {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? target : target.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String firstSentence(String text) {
        int stop = text.indexOf(" found");
        return stop < 0 ? text : text.substring(0, stop + " found".length());
    }

    private static String deepestMessage(Throwable error) {
        Throwable deepest = error;
        while (deepest.getCause() != null) {
            deepest = deepest.getCause();
        }
        return String.valueOf(deepest.getMessage());
    }

    /** Accepts every certificate: used by {@link #speaksTls} only, which never sends data. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
