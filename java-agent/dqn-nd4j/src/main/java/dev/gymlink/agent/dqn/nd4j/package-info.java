/**
 * The ND4J Q-network backend, for wide networks where BLAS outruns plain Java; gymlink-dqn finds it
 * through {@link java.util.ServiceLoader} when this module is on the class path.
 *
 * <p>Module {@code gymlink-dqn-nd4j}. Imports: {@code dev.gymlink.agent.dqn} and ND4J.
 */
package dev.gymlink.agent.dqn.nd4j;
