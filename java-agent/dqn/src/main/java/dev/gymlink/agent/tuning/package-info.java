/**
 * Per-env hyperparameter files bundled as JSON, in the shape of rl-baselines3-zoo's files (an
 * {@code envs} object of entries under the zoo's key names): reading the classpath resource and the
 * file ({@link dev.gymlink.agent.tuning.HyperparameterFile}), and one entry's keys and values with
 * errors that name the file, the env and the bad key or value
 * ({@link dev.gymlink.agent.tuning.HyperparameterEntry}). DQN's tunings and SAC's presets both read
 * their files through it; what the keys mean stays with each algorithm.
 *
 * <p>Module {@code gymlink-dqn}. Imports: Jackson and the JDK; never an algorithm's package.
 */
package dev.gymlink.agent.tuning;
