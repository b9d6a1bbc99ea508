package dev.gymlink.train.listeners;

import dev.gymlink.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener writing a CSV file of a run whose rows start with an env step ({@code metrics.csv},
 * {@code evaluations.csv}): opened when training starts, under one header, appended to when it
 * exists (a resumed run), closed when training ends; numbers with at most six significant digits
 * and a dot whatever the locale, an empty cell for a value that does not exist yet.
 */
public abstract sealed class CsvListener implements TrainingListener, Closeable
        permits MetricsCsvListener, EvaluationsCsvListener {

    private static final MathContext SIGNIFICANT_DIGITS = new MathContext(6);

    private final Path file;
    private BufferedWriter writer;

    CsvListener(Path file) {
        this.file = file;
    }

    /** The header line of a new file of this run. */
    abstract String header(TrainingStart start);

    /** The CSV file this listener writes. */
    public Path file() {
        return file;
    }

    /** Opens the file for appending; a new or empty file gets the header first. */
    @Override
    public void onTrainingStart(TrainingStart start) {
        try {
            boolean continuing = Files.exists(file) && Files.size(file) > 0;
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (!continuing) {
                writer.write(header(start));
                writer.newLine();
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainingEnd(TrainingEnd end) {
        close();
    }

    final void append(String row) {
        if (writer == null) {
            throw new IllegalStateException("a row for " + file + " before training started");
        }
        try {
            writer.write(row);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    final void flush() {
        if (writer == null) {
            return;
        }
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            writer = null;
        }
    }

    /** Six significant digits, "" for NaN, "inf"/"-inf". */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).round(SIGNIFICANT_DIGITS).stripTrailingZeros().toPlainString();
    }

    /**
     * Drops the rows after {@code envStep} (their first cell): a run resumed from a checkpoint
     * replays those steps, and the rows would otherwise appear twice.
     *
     * @return how many rows were dropped
     */
    public static int dropRowsAfter(Path csv, long envStep) throws IOException {
        if (!Files.exists(csv)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return 0;
        }
        List<String> kept = new ArrayList<>(lines.size());
        kept.add(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            long rowStep;
            try {
                rowStep = Long.parseLong(comma < 0 ? line : line.substring(0, comma));
            } catch (NumberFormatException e) {
                throw new IOException(csv + ": row '" + line + "' does not start with an env step", e);
            }
            if (rowStep <= envStep) {
                kept.add(line);
            }
        }
        int dropped = lines.size() - kept.size();
        if (dropped > 0) {
            Files.write(csv, kept, StandardCharsets.UTF_8);
        }
        return dropped;
    }
}
