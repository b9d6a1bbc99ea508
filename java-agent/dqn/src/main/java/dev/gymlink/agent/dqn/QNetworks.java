package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;

/** Builds the {@link QNetwork} on the backend a config asks for: {@link DenseQNetwork} on its network. */
public final class QNetworks {

    private QNetworks() {}

    /** The backend {@code AUTO} resolves to for this network and batch size ({@link NetworkBackend#resolve}). */
    public static NetworkBackend resolve(NetworkBackend requested, NetworkSpec spec, int batchSize) {
        return requested.resolve(spec.hiddenSizes(), batchSize);
    }

    /**
     * @throws IllegalStateException when the backend's module is not on the class path
     */
    public static QNetwork create(NetworkBackend backend, NetworkSpec spec, float[] parameters) {
        return new DenseQNetwork(spec, backend.create(spec.layerSizes(), DenseQNetwork.optimizer(spec), parameters));
    }
}
