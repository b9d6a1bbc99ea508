package dev.gymlink.cli.plot;

import dev.gymlink.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Draws the {@link LearningCurve} of a run: at the end of training, and while it runs at most once
 * per {@code redrawInterval}, so a long run can be watched by reopening the picture.
 */
public final class LearningCurveListener implements TrainingListener {

    private final Path png;
    private final OptionalDouble solveThreshold;
    private final long redrawIntervalNanos;
    private final List<LearningCurve.Point> points;
    private final List<LearningCurve.EvaluationPoint> evaluations = new ArrayList<>();
    private String title = "";
    private long lastDrawNanos;

    /**
     * @param png where the picture goes
     * @param solveThreshold the env's reward threshold, drawn as a line when present
     * @param earlierEpisodes episodes of the run before this training session (a resumed run), so
     *     the curve continues; empty for a new run
     * @param redrawIntervalSeconds minimum seconds between redraws while training; 0 draws only at the end
     */
    public LearningCurveListener(Path png, OptionalDouble solveThreshold, List<LearningCurve.Point> earlierEpisodes,
            long redrawIntervalSeconds) {
        if (redrawIntervalSeconds < 0) {
            throw new IllegalArgumentException("redrawIntervalSeconds must be >= 0, got " + redrawIntervalSeconds);
        }
        this.png = png;
        this.solveThreshold = solveThreshold;
        this.points = new ArrayList<>(earlierEpisodes);
        this.redrawIntervalNanos = TimeUnit.SECONDS.toNanos(redrawIntervalSeconds);
    }

    public LearningCurveListener(Path png, OptionalDouble solveThreshold) {
        this(png, solveThreshold, List.of(), 0);
    }

    @Override
    public void onTrainingStart(TrainingStart start) {
        title = start.envId();
        lastDrawNanos = System.nanoTime();
    }

    @Override
    public void onEpisodeEnd(EpisodeEnd episode) {
        // Episode numbers continue across a resume; the trainer's count may restart, ours does not.
        long number = points.isEmpty() ? 1 : points.get(points.size() - 1).episode() + 1;
        points.add(new LearningCurve.Point(number, episode.episodeReturn(), episode.meanReturn100()));
    }

    @Override
    public void onEvaluation(EvaluationEnd evaluation) {
        long episodes = points.isEmpty() ? 0 : points.get(points.size() - 1).episode();
        evaluations.add(new LearningCurve.EvaluationPoint(episodes, evaluation.meanReturn()));
    }

    @Override
    public void onProgress(Progress progress) {
        if (redrawIntervalNanos > 0 && System.nanoTime() - lastDrawNanos >= redrawIntervalNanos && !points.isEmpty()) {
            draw();
        }
    }

    @Override
    public void onTrainingEnd(TrainingEnd end) {
        draw();
    }

    /** Episodes drawn so far (including earlier ones of a resumed run). */
    public List<LearningCurve.Point> points() {
        return List.copyOf(points);
    }

    private void draw() {
        try {
            LearningCurve.writePng(png, title, points, evaluations, solveThreshold);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the learning curve " + png + ": " + e.getMessage(), e);
        }
        lastDrawNanos = System.nanoTime();
    }
}
