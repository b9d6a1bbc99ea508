/**
 * Pictures of runs, drawn with JFreeChart: the learning-curve PNG of one run from its metrics, and
 * the comparison of several runs' greedy evaluation curves ({@code gymlink plot}).
 *
 * <p>Module {@code gymlink-cli}. Imports: {@code dev.gymlink.train}, {@code dev.gymlink.train.listeners}
 * and JFreeChart.
 */
package dev.gymlink.cli.plot;
