package dev.gymlink.cli;

/** Where the env runs: {@code --env-backend}. */
enum EnvBackend {
    /** Local when the env has a Java port and no {@code --server} was given; remote otherwise. */
    AUTO,
    /** The env's Java port, in this process. */
    LOCAL,
    /** Gymnasium in a gymlink env server, over gRPC. */
    REMOTE;

    /** The backend this choice means for an env; never {@link #AUTO}. */
    EnvBackend resolve(String envId, boolean serverGiven) {
        if (this != AUTO) {
            return this;
        }
        return JavaEnvs.has(envId) && !serverGiven ? LOCAL : REMOTE;
    }

    String flagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
