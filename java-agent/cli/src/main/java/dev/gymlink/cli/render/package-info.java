/**
 * Animated GIFs of rendered episodes ({@code gymlink play --record}).
 *
 * <p>Module {@code gymlink-cli}. Imports: {@code dev.gymlink.env} and the JDK's ImageIO.
 */
package dev.gymlink.cli.render;
