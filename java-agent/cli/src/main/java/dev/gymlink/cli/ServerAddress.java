package dev.gymlink.cli;

import dev.gymlink.env.remote.GymlinkChannels;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where an env server listens, as given on the command line: {@code HOST:PORT}, {@code HOST}
 * (port {@value #DEFAULT_PORT}) or {@code [IPV6]:PORT}; or a server's unix socket on this machine,
 * {@code unix:///PATH}, kept whole in {@code host} with port 0 (see {@link GymlinkChannels}).
 */
public record ServerAddress(String host, int port) {

    /** The port {@code python -m gymlink_server} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 50051;

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server host must not be empty");
        }
        if (GymlinkChannels.isUnixSocket(host)) {
            GymlinkChannels.unixSocketPath(host);
            if (port != 0) {
                throw new IllegalArgumentException("a unix socket has no port, got " + port);
            }
        } else if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("server port must be 1..65535, got " + port);
        }
    }

    /** Parses {@code HOST:PORT}, {@code HOST}, {@code [IPV6]:PORT} or {@code unix:///PATH}. */
    public static ServerAddress parse(String text) {
        String value = text.strip();
        if (GymlinkChannels.isUnixSocket(value)) {
            return new ServerAddress(value, 0);
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' opens '[' without ']'; write [IPV6]:PORT");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + text + "' has text after ']' that is not ':PORT'");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon >= 0 && value.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "' looks like an IPv6 address; write it as [" + value + "]:PORT");
            }
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? null : value.substring(colon + 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' has no host; write HOST:PORT, e.g. localhost:" + DEFAULT_PORT);
        }
        int portNumber;
        try {
            portNumber = port == null ? DEFAULT_PORT : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has port '" + port + "', which is not a number 1..65535");
        }
        try {
            return new ServerAddress(host, portNumber);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    public boolean isUnixSocket() {
        return GymlinkChannels.isUnixSocket(host);
    }

    /** The gRPC target string. */
    public String target() {
        if (isUnixSocket()) {
            return host;
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return target();
    }

    /** picocli's hook, so a bad address is a usage error naming the value. */
    public static final class Converter implements ITypeConverter<ServerAddress> {
        @Override
        public ServerAddress convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
