package dev.gymlink.cli.plot;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;

/** What the pictures of runs share: the chart's look, writing the PNG, reading a run's CSV files. */
final class Charts {

    private Charts() {}

    /** A line chart on white with light grid lines, and a legend. */
    static JFreeChart lineChart(String title, String xLabel, String yLabel, XYDataset dataset) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    /** Writes the chart headless, beside the target first and then moved, so a reader never sees half a PNG. */
    static void savePng(JFreeChart chart, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            // Rendering must not need a display, whatever the caller forgot to set.
            System.setProperty("java.awt.headless", "true");
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path partial = png.resolveSibling(png.getFileName() + ".partial");
        ChartUtils.saveChartAsPNG(partial.toFile(), chart, LearningCurve.WIDTH, LearningCurve.HEIGHT);
        Files.move(partial, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Turns one CSV row into a value; {@code cells[columns[k]]} is the k-th requested column. */
    interface RowReader<T> {
        T read(String[] cells, int[] columns);
    }

    /**
     * The rows of a run's CSV file (header first, blank lines skipped), read by the named columns.
     *
     * @throws IOException naming the file and line of a missing column, a short row or a bad number
     */
    static <T> List<T> readCsv(Path csv, List<String> names, RowReader<T> reader) throws IOException {
        List<T> rows = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = lines.readLine();
            if (header == null) {
                return rows;
            }
            List<String> columns = List.of(header.split(",", -1));
            int[] indices = new int[names.size()];
            for (int k = 0; k < indices.length; k++) {
                indices[k] = columns.indexOf(names.get(k));
                if (indices[k] < 0) {
                    throw new IOException(csv + " has no column '" + names.get(k) + "' (header: " + header + ")");
                }
            }
            String line;
            int lineNumber = 1;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.size()) {
                    throw new IOException(csv + " line " + lineNumber + ": expected " + columns.size()
                            + " cells, found " + cells.length);
                }
                try {
                    rows.add(reader.read(cells, indices));
                } catch (NumberFormatException e) {
                    throw new IOException(csv + " line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        }
        return rows;
    }
}
