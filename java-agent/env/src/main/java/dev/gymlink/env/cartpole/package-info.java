/**
 * CartPole-v1 in pure Java, bit-exact with Gymnasium (seeding, physics, glibc's sin and cos), with a
 * Java2D renderer: an env that needs no server.
 *
 * <p>Module {@code gymlink-env}. Imports: {@code dev.gymlink.env}, {@code dev.gymlink.env.random} and
 * the JDK (java.awt for rendering).
 */
package dev.gymlink.env.cartpole;
