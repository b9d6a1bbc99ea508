package dev.gymlink.env.remote;

import dev.gymlink.env.EnvSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an env server offers: the env ids it allows and facts about the server itself.
 *
 * @param envs allowed envs, sorted by id as the server sends them
 * @param server versions, capabilities and limits of the server
 */
public record EnvCatalog(List<Entry> envs, ServerInfo server) {

    public EnvCatalog {
        envs = List.copyOf(envs);
        Objects.requireNonNull(server, "server");
    }

    /** The entry for an env id, if the server allows it. */
    public Optional<Entry> find(String envId) {
        return envs.stream().filter(entry -> entry.spec().id().equals(envId)).findFirst();
    }

    /**
     * One allowed env.
     *
     * @param spec its registration spec
     * @param nativeVector true when Gymnasium has a native vectorized implementation of it
     */
    public record Entry(EnvSpec spec, boolean nativeVector) {

        public Entry {
            Objects.requireNonNull(spec, "spec");
        }
    }
}
