package dev.gymlink.agent.dqn;

/** Builds the {@link QNetwork} backend a config asks for. */
public final class QNetworks {

    private QNetworks() {}

    /** The backend {@code AUTO} resolves to for this network and batch size. */
    public static DqnConfig.Backend resolve(DqnConfig.Backend requested, NetworkSpec spec, int batchSize) {
        if (requested != DqnConfig.Backend.AUTO) {
            return requested;
        }
        return DqnConfig.Backend.JAVA;
    }

    public static QNetwork create(DqnConfig.Backend backend, NetworkSpec spec, float[] parameters) {
        return switch (backend) {
            case JAVA -> new JavaQNetwork(spec, parameters);
            case ND4J -> new Nd4jQNetwork(spec, parameters);
            case AUTO -> throw new IllegalArgumentException("resolve AUTO to a backend first");
        };
    }
}
