package dev.gymlink.agent.mlp;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which implementation computes a {@link TrainableNetwork}. {@code AUTO} becomes the faster one for
 * the networks and the batch they train on ({@link #resolve}), from one crossover measured for both
 * algorithms that train these networks.
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

    /**
     * Widest hidden layer from which {@code AUTO} picks ND4J (with {@link #ND4J_FROM_BATCH_SIZE}).
     * Measured on a loaded 2-core x86-64 machine, ND4J on one BLAS thread, two hidden layers, Java /
     * ND4J in one run. One DQN update ({@code scripts/bench-dqn.sh crossover}: two target forwards,
     * forward/backward, Adam), microseconds at batch 256: 64-64 772 / 839, 128-128 3,699 / 1,589
     * (2.3x), 256-256 10,479 / 3,998 (2.6x), 512-512 53,424 / 14,509 (3.7x); at batch 32 only from
     * 256 wide and barely (1.1x; 1.4x at 512). One SAC gradient step ({@code SacBackendBenchmark},
     * five networks), milliseconds at batch 256: 64-64 4.9 / 5.3 to 4.9 / 7.0, 96-96 10.7 / 6.6,
     * 128-128 13.6 / 8.5 to 18.9 / 5.9, 256-256 46 / 18; at batch 64, 128-128 4.9 / 8.9. Below that
     * ND4J's fixed cost per native op dominates, above it its gemm wins.
     */
    public static final int ND4J_FROM_HIDDEN_WIDTH = 128;
    /** Smallest batch from which {@code AUTO} picks ND4J: below it the Java loops keep up (see above). */
    public static final int ND4J_FROM_BATCH_SIZE = 256;

    /** True when this backend can be built here: Java always, others when their module is on the class path. */
    public boolean isAvailable() {
        return this == JAVA || this != AUTO && provider().isPresent();
    }

    /**
     * The backend for networks with these hidden layers trained on batches of {@code batchSize}:
     * {@code AUTO} becomes ND4J from {@value #ND4J_FROM_HIDDEN_WIDTH}-wide layers and batches of
     * {@value #ND4J_FROM_BATCH_SIZE} when gymlink-dqn-nd4j is on the class path, else Java; the
     * others stay as they are.
     */
    public NetworkBackend resolve(List<Integer> hiddenSizes, int batchSize) {
        if (this != AUTO) {
            return this;
        }
        int widest = hiddenSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        return widest >= ND4J_FROM_HIDDEN_WIDTH && batchSize >= ND4J_FROM_BATCH_SIZE && ND4J.isAvailable()
                ? ND4J : JAVA;
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
