package dev.gymlink.env.remote;

import io.grpc.Status;

/**
 * The Session stream broke (server gone, network down). Kept inside the package: the envs decide
 * how to present it (a truncated episode, a retried reset) after reconnecting.
 */
final class ConnectionLostException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Status status;

    ConnectionLostException(Status status) {
        super(status.getCode() + (status.getDescription() == null ? "" : ": " + StatusMapping.describe(status)),
                status.getCause());
        this.status = status;
    }

    Status status() {
        return status;
    }
}
