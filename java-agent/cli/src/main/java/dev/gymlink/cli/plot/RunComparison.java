package dev.gymlink.cli.plot;

import dev.gymlink.train.listeners.EvaluationsCsvListener;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * One picture comparing runs: per group of runs (e.g. the seeds of one preset), the mean of their
 * greedy evaluation curves by env step, with a band from the lowest to the highest run. At each
 * env step the runs that evaluated there count (a run that stopped when solved leaves the later
 * steps to the others). Read from each run's {@code evaluations.csv}.
 */
public final class RunComparison {

    /** Default file name. */
    public static final String FILE_NAME = "comparison.png";

    private static final Color[] COLORS = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(148, 103, 189),
        new Color(255, 127, 14), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)
    };

    /**
     * One greedy evaluation of a run.
     *
     * @param envStep env steps trained when it ran
     * @param meanReturn mean return of its greedy episodes
     */
    public record Evaluation(long envStep, double meanReturn) {}

    /**
     * Runs drawn as one curve.
     *
     * @param label legend text
     * @param runs each run's evaluations, in env-step order
     */
    public record Group(String label, List<List<Evaluation>> runs) {
        public Group {
            Objects.requireNonNull(label, "label");
            runs = List.copyOf(runs);
        }
    }

    private RunComparison() {}

    /** Writes the chart as a PNG (atomically, like the learning curve). */
    public static void writePng(Path png, String title, List<Group> groups) throws IOException {
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        for (Group group : groups) {
            YIntervalSeries series = new YIntervalSeries(group.label() + " (" + group.runs().size()
                    + (group.runs().size() == 1 ? " run)" : " runs, mean and min-max)"), false, true);
            TreeMap<Long, List<Double>> byStep = new TreeMap<>();
            for (List<Evaluation> run : group.runs()) {
                for (Evaluation evaluation : run) {
                    byStep.computeIfAbsent(evaluation.envStep(), step -> new ArrayList<>()).add(evaluation.meanReturn());
                }
            }
            for (Map.Entry<Long, List<Double>> step : byStep.entrySet()) {
                List<Double> means = step.getValue();
                double mean = means.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double low = means.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                double high = means.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                series.add(step.getKey(), mean, low, high);
            }
            dataset.addSeries(series);
        }
        JFreeChart chart = Charts.lineChart(title, "env steps", "greedy evaluation mean return", dataset);
        XYPlot plot = chart.getXYPlot();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.2f);
        for (int k = 0; k < groups.size(); k++) {
            Color color = COLORS[k % COLORS.length];
            renderer.setSeriesPaint(k, color);
            renderer.setSeriesFillPaint(k, color);
            renderer.setSeriesStroke(k, new BasicStroke(2.0f));
        }
        plot.setRenderer(renderer);
        Charts.savePng(chart, png);
    }

    /** The evaluations of a run's {@code evaluations.csv} (see {@link EvaluationsCsvListener}). */
    public static List<Evaluation> readEvaluationsCsv(Path csv) throws IOException {
        return Charts.readCsv(csv, List.of("env_step", "mean_return"), (cells, columns) -> new Evaluation(
                Long.parseLong(cells[columns[0]]), Double.parseDouble(cells[columns[1]])));
    }
}
