/**
 * The ND4J backends, for wide networks where BLAS outruns plain Java: DQN's Q-network and the dense
 * network SAC trains; gymlink-dqn finds both through {@link java.util.ServiceLoader} when this
 * module is on the class path.
 *
 * <p>Module {@code gymlink-dqn-nd4j}. Imports: {@code dev.gymlink.agent.dqn}, {@code dev.gymlink.agent.mlp} and ND4J.
 */
package dev.gymlink.agent.dqn.nd4j;
