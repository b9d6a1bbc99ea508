package dev.gymlink.train.listeners;

import dev.gymlink.train.ExplorationName;
import java.nio.file.Path;

/**
 * Writes one CSV row per finished episode to {@code metrics.csv}, so a run can be plotted or
 * compared afterwards with any tool. Numbers have at most six significant digits and a dot as
 * decimal separator whatever the locale; a value that does not exist yet (the loss before learning
 * starts) is an empty cell, not "NaN". {@code steps_per_second} is the only column that depends on
 * the machine rather than the seed.
 *
 * <p>When the file already exists (a resumed run) rows are appended under the existing header;
 * {@link #dropRowsAfter} first removes the episodes the resumed run will replay.
 */
public final class MetricsCsvListener extends CsvListener {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "metrics.csv";

    public MetricsCsvListener(Path file) {
        super(file);
    }

    /**
     * Column names, in order; the sixth is the agent's exploration rate under its own name
     * ({@code epsilon} for DQN, {@code alpha} for SAC).
     */
    public static String header(ExplorationName exploration) {
        return "env_step,episode,return,length,terminated," + exploration.name()
                + ",loss,steps_per_second,mean_return_100";
    }

    @Override
    String header(TrainingStart start) {
        return header(start.explorationName());
    }

    @Override
    public void onEpisodeEnd(EpisodeEnd episode) {
        append(episode.envStep()
                + "," + episode.episode()
                + "," + number(episode.episodeReturn())
                + "," + episode.length()
                + "," + episode.terminated()
                + "," + number(episode.exploration())
                + "," + number(episode.recentLoss())
                + "," + number(episode.stepsPerSecond())
                + "," + number(episode.meanReturn100()));
    }

    /** Flushes on every progress report, so a crashed or interrupted run keeps its rows. */
    @Override
    public void onProgress(Progress progress) {
        flush();
    }
}
