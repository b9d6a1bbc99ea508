/**
 * Soft actor-critic for Box action spaces: {@link dev.gymlink.agent.sac.SacConfig} (a validated
 * record with its presets), the replay buffer of continuous actions and
 * {@link dev.gymlink.agent.sac.SacAgent} (squashed Gaussian actor, twin Q critics with Polyak
 * targets, automatic entropy tuning), built on {@link dev.gymlink.agent.mlp.TrainableNetwork}s:
 * plain Java, or ND4J for wide networks when gymlink-dqn-nd4j is on the class path.
 *
 * <p>Module {@code gymlink-sac}. Imports: {@code dev.gymlink.env}, {@code dev.gymlink.agent.mlp},
 * {@code dev.gymlink.agent.run} (seeding, solve criterion), {@code dev.gymlink.agent.tuning} (the
 * preset file), Jackson and the JDK; never
 * {@code dev.gymlink.agent.dqn}, {@code dev.gymlink.train} or the client.
 */
package dev.gymlink.agent.sac;
