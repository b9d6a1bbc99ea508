package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;

/** Builds the {@link QNetwork} on the backend a config asks for: {@link DenseQNetwork} on its network. */
public final class QNetworks {

    /**
     * Widest hidden layer from which {@code AUTO} picks ND4J. Measured on a 2-core x86-64 machine
     * ({@code scripts/bench-dqn.sh}, one BLAS thread, two hidden layers): plain Java is faster for
     * every width up to 512 at batch 32 and 256, by 20-100x at 24-64 wide (ND4J's fixed cost per
     * native op dominates) and 1.5-2x at 256-512; at 1024 wide, batch 256, ND4J's gemm wins (70 vs
     * 91 ms per update on an idle machine, 1.3x; 1.8x at 2048), once the weights no longer fit in
     * cache for the Java loops.
     */
    public static final int ND4J_FROM_HIDDEN_WIDTH = 1024;

    private QNetworks() {}

    /**
     * The backend {@code AUTO} resolves to for this network and batch size; others pass through.
     * {@code AUTO} stays on the Java backend when ND4J is not on the class path.
     */
    public static NetworkBackend resolve(NetworkBackend requested, NetworkSpec spec, int batchSize) {
        if (requested != NetworkBackend.AUTO) {
            return requested;
        }
        int widest = spec.hiddenSizes().stream().mapToInt(Integer::intValue).max().orElse(0);
        return widest >= ND4J_FROM_HIDDEN_WIDTH && NetworkBackend.ND4J.isAvailable()
                ? NetworkBackend.ND4J
                : NetworkBackend.JAVA;
    }

    /**
     * @throws IllegalStateException when the backend's module is not on the class path
     */
    public static QNetwork create(NetworkBackend backend, NetworkSpec spec, float[] parameters) {
        return new DenseQNetwork(spec, backend.create(spec.layerSizes(), DenseQNetwork.optimizer(spec), parameters));
    }
}
