/**
 * The DQN agent: {@link dev.gymlink.agent.dqn.DqnConfig} (a validated record with the tutorial and
 * default presets, changed by key with {@link dev.gymlink.agent.dqn.DqnConfigOverrides}), tuned per-env
 * hyperparameters, the replay buffer, the Q-network ({@link dev.gymlink.agent.dqn.DenseQNetwork}: the TD
 * loss on a network of any {@link dev.gymlink.agent.mlp.NetworkBackend}) and
 * {@link dev.gymlink.agent.dqn.DqnAgent}, which acts and learns.
 *
 * <p>Module {@code gymlink-dqn}. Imports: {@code dev.gymlink.env}, {@code dev.gymlink.agent.run}
 * (seeding, solve criterion), {@code dev.gymlink.agent.mlp}, {@code dev.gymlink.agent.tuning} (the
 * tuning file), Jackson (config and tuning files) and the JDK; never {@code dev.gymlink.agent.sac}, {@code dev.gymlink.train} or the client.
 */
package dev.gymlink.agent.dqn;
