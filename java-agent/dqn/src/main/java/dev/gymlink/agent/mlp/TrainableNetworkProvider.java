package dev.gymlink.agent.mlp;

/**
 * A {@link TrainableNetwork} backend that lives in a module of its own and is found with
 * {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.gymlink.agent.mlp.TrainableNetworkProvider}), so that ND4J's native
 * libraries stay off the class path of users who train small nets.
 */
public interface TrainableNetworkProvider {

    /** The backend this provider builds; never {@code AUTO} or {@code JAVA}. */
    NetworkBackend backend();

    /** A network of these layer widths with these initial parameters (flat layout). */
    TrainableNetwork create(int[] sizes, DenseNetwork.Optimizer optimizer, float[] initialParameters);
}
