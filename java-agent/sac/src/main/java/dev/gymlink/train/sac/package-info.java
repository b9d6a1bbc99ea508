/**
 * SAC as the {@link dev.gymlink.train.Trainer} drives it ({@link dev.gymlink.train.sac.SacTrainable}):
 * the same loop, evaluation and listeners as DQN.
 *
 * <p>Module {@code gymlink-sac}. Imports: {@code dev.gymlink.agent.sac}, {@code dev.gymlink.train},
 * {@code dev.gymlink.env} and the JDK; never the client or the command line.
 */
package dev.gymlink.train.sac;
