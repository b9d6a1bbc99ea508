package dev.gymlink.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The learning-curve picture of a run: return per episode, its moving average, and the return at
 * which the env counts as solved. Rendered headless with JFreeChart, so it works on servers and in
 * containers.
 */
public final class LearningCurve {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "learning-curve.png";

    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    private static final Color RETURN_COLOR = new Color(120, 160, 220);
    private static final Color AVERAGE_COLOR = new Color(200, 60, 30);
    private static final Color EVALUATION_COLOR = new Color(20, 20, 20);
    private static final Color THRESHOLD_COLOR = new Color(40, 140, 60);

    /**
     * One finished episode.
     *
     * @param episode 1-based episode number
     * @param episodeReturn its return
     * @param movingAverage mean return of the last episodes up to and including this one
     */
    public record Point(long episode, double episodeReturn, double movingAverage) {}

    /**
     * A greedy evaluation during training, drawn at the episode count it happened after.
     *
     * @param episode episodes finished when it ran
     * @param meanReturn mean return of its greedy episodes
     */
    public record EvaluationPoint(long episode, double meanReturn) {}

    private LearningCurve() {}

    /**
     * Writes the chart as a PNG.
     *
     * @param title chart title, e.g. the env id
     * @param solveThreshold return that counts as solved; drawn as a horizontal line when present
     */
    public static void writePng(Path png, String title, List<Point> points, OptionalDouble solveThreshold)
            throws IOException {
        writePng(png, title, points, List.of(), solveThreshold);
    }

    /**
     * Writes the chart as a PNG, with the greedy evaluations as markers.
     *
     * @param title chart title, e.g. the env id
     * @param solveThreshold return that counts as solved; drawn as a horizontal line when present
     */
    public static void writePng(Path png, String title, List<Point> points, List<EvaluationPoint> evaluations,
            OptionalDouble solveThreshold) throws IOException {
        Objects.requireNonNull(png, "png");
        XYSeries returns = new XYSeries("return per episode", false, true);
        XYSeries average = new XYSeries("moving average (100 episodes)", false, true);
        for (Point point : points) {
            returns.add(point.episode(), point.episodeReturn());
            if (!Double.isNaN(point.movingAverage())) {
                average.add(point.episode(), point.movingAverage());
            }
        }
        XYSeries evaluated = new XYSeries("greedy evaluation (mean)", false, true);
        for (EvaluationPoint evaluation : evaluations) {
            evaluated.add(evaluation.episode(), evaluation.meanReturn());
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        dataset.addSeries(returns);
        dataset.addSeries(average);
        if (!evaluations.isEmpty()) {
            dataset.addSeries(evaluated);
        }

        JFreeChart chart = Charts.lineChart(title, "episode", "return", dataset);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, RETURN_COLOR);
        renderer.setSeriesStroke(0, new BasicStroke(1.0f));
        renderer.setSeriesPaint(1, AVERAGE_COLOR);
        renderer.setSeriesStroke(1, new BasicStroke(2.5f));
        renderer.setSeriesPaint(2, EVALUATION_COLOR);
        renderer.setSeriesLinesVisible(2, false);
        renderer.setSeriesShapesVisible(2, true);
        renderer.setSeriesShape(2, new Ellipse2D.Double(-4, -4, 8, 8));
        plot.setRenderer(renderer);
        solveThreshold.ifPresent(threshold -> {
            ValueMarker marker = new ValueMarker(threshold, THRESHOLD_COLOR, new BasicStroke(
                    1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            marker.setLabel("solved at " + formatThreshold(threshold));
            marker.setLabelPaint(THRESHOLD_COLOR);
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(marker, Layer.FOREGROUND);
        });
        Charts.savePng(chart, png);
    }

    /**
     * Reads the points of an existing {@code metrics.csv} (see
     * {@link dev.gymlink.train.listeners.MetricsCsvListener}), e.g. to continue the curve of a resumed
     * run or to redraw it.
     */
    public static List<Point> readMetricsCsv(Path csv) throws IOException {
        return Charts.readCsv(csv, List.of("episode", "return", "mean_return_100"), (cells, columns) -> new Point(
                Long.parseLong(cells[columns[0]]),
                Double.parseDouble(cells[columns[1]]),
                cells[columns[2]].isEmpty() ? Double.NaN : Double.parseDouble(cells[columns[2]])));
    }

    private static String formatThreshold(double threshold) {
        return threshold == Math.rint(threshold) ? Long.toString((long) threshold) : Double.toString(threshold);
    }
}
