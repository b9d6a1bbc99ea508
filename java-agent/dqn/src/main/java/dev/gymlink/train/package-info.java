/**
 * The training loop ({@link dev.gymlink.train.Trainer}: act, remember, learn, evaluate), greedy
 * evaluation, checkpoints and their provenance, and the listener interface that the plumbing
 * (progress, CSV, plots, checkpoints) hangs on.
 *
 * <p>Module {@code gymlink-dqn}. Imports: {@code dev.gymlink.agent.dqn}, {@code dev.gymlink.agent.run},
 * {@code dev.gymlink.env}, Tribuo/OLCUT provenance and Jackson; never the client or the command line.
 */
package dev.gymlink.train;
