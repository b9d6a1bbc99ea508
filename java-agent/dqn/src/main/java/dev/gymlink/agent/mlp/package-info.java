/**
 * Dense ReLU networks trained with Adam in plain Java ({@link dev.gymlink.agent.mlp.DenseNetwork}):
 * forward, backward to parameters and to inputs. The algorithm-neutral core that DQN's Q-network
 * and SAC's actor and critics are built on.
 *
 * <p>Module {@code gymlink-dqn}. Imports: the JDK only; never an agent package.
 */
package dev.gymlink.agent.mlp;
