/**
 * Dense ReLU networks trained with Adam: the contract ({@link dev.gymlink.agent.mlp.TrainableNetwork}:
 * forward, backward to parameters and to inputs, Adam, one flat parameter layout), its plain-Java
 * implementation ({@link dev.gymlink.agent.mlp.DenseNetwork}) and the choice of backend
 * ({@link dev.gymlink.agent.mlp.NetworkBackend}; ND4J's comes from gymlink-dqn-nd4j through
 * {@link dev.gymlink.agent.mlp.TrainableNetworkProvider}). The algorithm-neutral core that DQN's
 * Q-network and SAC's actor and critics are built on.
 *
 * <p>Module {@code gymlink-dqn}. Imports: the JDK only; never an agent package.
 */
package dev.gymlink.agent.mlp;
