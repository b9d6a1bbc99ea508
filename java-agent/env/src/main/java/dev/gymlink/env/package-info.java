/**
 * The env API: Gymnasium's {@code Env} and vector-env contract in Java ({@link dev.gymlink.env.Env},
 * {@link dev.gymlink.env.VectorEnv} with its two {@link dev.gymlink.env.AutoresetMode autoreset modes}),
 * the spaces as a sealed family of records, step and reset results, {@link dev.gymlink.env.Tensor},
 * and one unchecked exception family ({@link dev.gymlink.env.EnvException}) whose subclasses mirror
 * the env server's gRPC status codes; {@link dev.gymlink.env.EpisodeLifecycle} is the seeding, reset-option
 * and step-order bookkeeping that the Java ports of Gymnasium envs share.
 *
 * <p>Module {@code gymlink-env}. Imports: the JDK only. Everything else in gymlink depends on this
 * package; it depends on nothing of gymlink's.
 */
package dev.gymlink.env;
