package dev.gymlink.agent.mlp;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which implementation computes a {@link TrainableNetwork}. {@code AUTO} is resolved by the
 * algorithm that owns the networks, from crossovers it measured (SAC: {@code SacConfig}).
 */
public enum NetworkBackend {
    /** The faster one for the networks and batch size, from a measured crossover. */
    AUTO,
    /** {@link DenseNetwork}: plain float arrays on the JVM. */
    JAVA,
    /** ND4J native ops (BLAS gemm), from {@value #ND4J_ARTIFACT}. */
    ND4J;

    /** The Maven coordinates that bring the ND4J backend, for messages. */
    public static final String ND4J_ARTIFACT = "dev.gymlink:gymlink-dqn-nd4j";

    /** True when this backend can be built here: Java always, others when their module is on the class path. */
    public boolean isAvailable() {
        return this == JAVA || this != AUTO && provider().isPresent();
    }

    /**
     * A network of this backend.
     *
     * @throws IllegalStateException when the backend's module is not on the class path
     * @throws IllegalArgumentException for {@code AUTO}, which must be resolved first
     */
    public TrainableNetwork create(int[] sizes, DenseNetwork.Optimizer optimizer, float[] initialParameters) {
        return switch (this) {
            case JAVA -> new DenseNetwork(sizes, optimizer, initialParameters);
            case ND4J -> provider()
                    .orElseThrow(() -> new IllegalStateException("the nd4j backend needs " + ND4J_ARTIFACT
                            + " on the class path (the gymlink command line includes it)"))
                    .create(sizes, optimizer, initialParameters);
            case AUTO -> throw new IllegalArgumentException("resolve AUTO to a backend first");
        };
    }

    private Optional<TrainableNetworkProvider> provider() {
        return ServiceLoader.load(TrainableNetworkProvider.class, NetworkBackend.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.backend() == this)
                .findFirst();
    }
}
