package dev.gymlink.agent.dqn;

/**
 * A Q-network backend that lives in a module of its own and is found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.gymlink.agent.dqn.QNetworkProvider}).
 * This keeps heavy backends, such as ND4J's 300 MB of native libraries in {@code gymlink-dqn-nd4j},
 * off the class path of users who train small nets.
 */
public interface QNetworkProvider {

    /** The backend this provider builds; never {@code AUTO} or {@code JAVA}. */
    DqnConfig.Backend backend();

    /** A network with these initial parameters (in the {@link NetworkSpec} flat layout). */
    QNetwork create(NetworkSpec spec, float[] initialParameters);
}
