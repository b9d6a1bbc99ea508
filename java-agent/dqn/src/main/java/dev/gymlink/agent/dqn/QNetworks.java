package dev.gymlink.agent.dqn;

import java.util.Optional;
import java.util.ServiceLoader;

/** Builds the {@link QNetwork} backend a config asks for. */
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

    /** The Maven coordinates that bring the ND4J backend, for messages. */
    public static final String ND4J_ARTIFACT = "dev.gymlink:gymlink-dqn-nd4j";

    private QNetworks() {}

    /**
     * The backend {@code AUTO} resolves to for this network and batch size; others pass through.
     * {@code AUTO} stays on the Java backend when ND4J is not on the class path.
     */
    public static DqnConfig.Backend resolve(DqnConfig.Backend requested, NetworkSpec spec, int batchSize) {
        if (requested != DqnConfig.Backend.AUTO) {
            return requested;
        }
        int widest = spec.hiddenSizes().stream().mapToInt(Integer::intValue).max().orElse(0);
        return widest >= ND4J_FROM_HIDDEN_WIDTH && isAvailable(DqnConfig.Backend.ND4J)
                ? DqnConfig.Backend.ND4J
                : DqnConfig.Backend.JAVA;
    }

    /** True when this backend can be built here: Java always, others when their module is on the class path. */
    public static boolean isAvailable(DqnConfig.Backend backend) {
        return backend == DqnConfig.Backend.JAVA || provider(backend).isPresent();
    }

    /**
     * @throws IllegalStateException when the backend's module is not on the class path
     */
    public static QNetwork create(DqnConfig.Backend backend, NetworkSpec spec, float[] parameters) {
        return switch (backend) {
            case JAVA -> new DenseQNetwork(spec, parameters);
            case ND4J -> provider(backend)
                    .orElseThrow(() -> new IllegalStateException("the nd4j backend needs " + ND4J_ARTIFACT
                            + " on the class path (the gymlink command line includes it)"))
                    .create(spec, parameters);
            case AUTO -> throw new IllegalArgumentException("resolve AUTO to a backend first");
        };
    }

    private static Optional<QNetworkProvider> provider(DqnConfig.Backend backend) {
        return ServiceLoader.load(QNetworkProvider.class, QNetworks.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.backend() == backend)
                .findFirst();
    }
}
