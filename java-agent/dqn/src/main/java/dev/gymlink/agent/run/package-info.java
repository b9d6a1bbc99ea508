/**
 * What a training run needs whatever its algorithm: the seeded random streams that make a seed
 * determine the run ({@link dev.gymlink.agent.run.Rng}, {@link dev.gymlink.agent.run.RunRandomness})
 * and the criterion by which greedy evaluation declares it solved
 * ({@link dev.gymlink.agent.run.SolveCriterion}). DQN and SAC both build on it.
 *
 * <p>Module {@code gymlink-dqn}. Imports: the JDK only; never an algorithm's package.
 */
package dev.gymlink.agent.run;
