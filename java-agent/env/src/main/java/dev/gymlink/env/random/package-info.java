/**
 * numpy's random generators re-implemented (SeedSequence, PCG64, uniform draws), so that seeded
 * Java envs draw exactly what their Gymnasium counterparts draw.
 *
 * <p>Module {@code gymlink-env}. Imports: the JDK only.
 */
package dev.gymlink.env.random;
