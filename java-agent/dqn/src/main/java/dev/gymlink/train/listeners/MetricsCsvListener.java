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
 * Writes one CSV row per finished episode to {@code metrics.csv}, so a run can be plotted or
 * compared afterwards with any tool. Numbers have at most six significant digits and a dot as
 * decimal separator whatever the locale; a value that does not exist yet (the loss before learning
 * starts) is an empty cell, not "NaN".
 *
 * <p>When the file already exists (a resumed run) rows are appended under the existing header.
 */
public final class MetricsCsvListener implements TrainingListener, Closeable {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "metrics.csv";

    /** Column names, in order. */
    public static final String HEADER =
            "env_step,episode,return,length,terminated,epsilon,loss,steps_per_second,mean_return_100";

    private static final MathContext SIGNIFICANT_DIGITS = new MathContext(6);

    private final Path file;
    private BufferedWriter writer;

    public MetricsCsvListener(Path file) {
        this.file = file;
    }

    /** The CSV file this listener writes. */
    public Path file() {
        return file;
    }

    /**
     * Drops the rows of episodes that ended after {@code envStep}: a run resumed from a checkpoint
     * replays those steps, and their episodes would otherwise appear twice.
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
                writer.write(HEADER);
                writer.newLine();
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpisodeEnd(EpisodeEnd episode) {
        if (writer == null) {
            throw new IllegalStateException("onEpisodeEnd before onTrainingStart");
        }
        String row = episode.envStep()
                + "," + episode.episode()
                + "," + number(episode.episodeReturn())
                + "," + episode.length()
                + "," + episode.terminated()
                + "," + number(episode.epsilon())
                + "," + number(episode.recentLoss())
                + "," + number(episode.stepsPerSecond())
                + "," + number(episode.meanReturn100());
        try {
            writer.write(row);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Flushes on every progress report, so a crashed or interrupted run keeps its rows. */
    @Override
    public void onProgress(Progress progress) {
        flush();
    }

    @Override
    public void onTrainingEnd(TrainingEnd end) {
        close();
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

    private void flush() {
        if (writer == null) {
            return;
        }
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).round(SIGNIFICANT_DIGITS).stripTrailingZeros().toPlainString();
    }
}
