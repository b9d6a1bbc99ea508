/**
 * The learning-curve PNG of a run, drawn with JFreeChart from its metrics.
 *
 * <p>Module {@code gymlink-cli}. Imports: {@code dev.gymlink.train}, {@code dev.gymlink.train.listeners}
 * and JFreeChart.
 */
package dev.gymlink.cli.plot;
