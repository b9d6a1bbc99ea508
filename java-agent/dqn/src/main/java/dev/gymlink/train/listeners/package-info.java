/**
 * Training listeners that need nothing but the JDK: progress lines, {@code metrics.csv} and
 * {@code evaluations.csv}, the TensorBoard event file, periodic and best checkpoints.
 *
 * <p>Module {@code gymlink-dqn}. Imports: {@code dev.gymlink.train} and what it imports.
 */
package dev.gymlink.train.listeners;
