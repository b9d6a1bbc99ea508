/**
 * The ND4J backend, for wide networks where BLAS outruns plain Java: a dense network that DQN's
 * Q-network and SAC's actor and critics train on alike, found through {@link java.util.ServiceLoader}
 * as {@code NetworkBackend.ND4J} when this module is on the class path.
 *
 * <p>Module {@code gymlink-dqn-nd4j}. Imports: {@code dev.gymlink.agent.dqn}, {@code dev.gymlink.agent.mlp} and ND4J.
 */
package dev.gymlink.agent.dqn.nd4j;
