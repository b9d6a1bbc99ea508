/**
 * Pendulum-v1 in pure Java, bit-exact with Gymnasium (seeding, dynamics, glibc's sin and cos): the
 * continuous-action env that trains without a server, with a Java2D renderer.
 *
 * <p>Module {@code gymlink-env}. Imports: {@code dev.gymlink.env}, {@code dev.gymlink.env.random},
 * {@code dev.gymlink.env.cartpole} (its glibc-exact sin and cos) and the JDK (java.awt for rendering).
 */
package dev.gymlink.env.pendulum;
