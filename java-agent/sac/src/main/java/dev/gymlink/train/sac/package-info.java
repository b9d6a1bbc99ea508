/**
 * SAC as the {@link dev.gymlink.train.Trainer} drives it ({@link dev.gymlink.train.sac.SacTrainable}):
 * the same loop, evaluation, listeners and checkpoint layout as DQN, with SAC's own checkpoint files
 * ({@link dev.gymlink.train.sac.SacCheckpoints}).
 *
 * <p>Module {@code gymlink-sac}. Imports: {@code dev.gymlink.agent.sac}, the run's random streams of
 * {@code dev.gymlink.agent.run}, {@code dev.gymlink.train}, {@code dev.gymlink.env}, Jackson and the
 * JDK; never the client or the command line.
 */
package dev.gymlink.train.sac;
