package dev.gymlink.agent.dqn;

/** Builds the {@link QNetwork} backend a config asks for. */
public final class QNetworks {

    /**
     * Widest hidden layer from which {@code AUTO} picks ND4J. Measured on a 2-core x86-64 machine
     * ({@code scripts/bench-dqn.sh}, one BLAS thread): plain Java is faster for every hidden width
     * up to 512 at batch 32 and 256 (38x at 24 wide, batch 32, where ND4J's per-op overhead
     * dominates; about even at 512); at 1024 wide ND4J's gemm wins (1.6x at batch 256), when the
     * weights no longer fit in cache for the Java loops.
     */
    public static final int ND4J_FROM_HIDDEN_WIDTH = 1024;

    private QNetworks() {}

    /** The backend {@code AUTO} resolves to for this network and batch size; others pass through. */
    public static DqnConfig.Backend resolve(DqnConfig.Backend requested, NetworkSpec spec, int batchSize) {
        if (requested != DqnConfig.Backend.AUTO) {
            return requested;
        }
        int widest = spec.hiddenSizes().stream().mapToInt(Integer::intValue).max().orElse(0);
        return widest >= ND4J_FROM_HIDDEN_WIDTH ? DqnConfig.Backend.ND4J : DqnConfig.Backend.JAVA;
    }

    public static QNetwork create(DqnConfig.Backend backend, NetworkSpec spec, float[] parameters) {
        return switch (backend) {
            case JAVA -> new JavaQNetwork(spec, parameters);
            case ND4J -> new Nd4jQNetwork(spec, parameters);
            case AUTO -> throw new IllegalArgumentException("resolve AUTO to a backend first");
        };
    }
}
