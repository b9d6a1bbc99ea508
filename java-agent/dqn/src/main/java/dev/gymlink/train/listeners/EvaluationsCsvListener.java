package dev.gymlink.train.listeners;

import java.nio.file.Path;

/**
 * Writes one CSV row per greedy evaluation during training to {@code evaluations.csv}: the curve
 * that says what the run learned, and what {@code gymlink plot} compares across runs. Formatted as
 * {@link MetricsCsvListener} formats {@code metrics.csv}; {@code wall_seconds} (training time when
 * the evaluation ran, earlier sessions of a resumed run included) is the only column that depends
 * on the machine rather than the seed.
 */
public final class EvaluationsCsvListener extends CsvListener {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "evaluations.csv";

    /** Column names, in order. */
    public static final String HEADER = "env_step,mean_return,std_return,min_return,max_return,episodes,wall_seconds";

    public EvaluationsCsvListener(Path file) {
        super(file);
    }

    /** Written and flushed at once: evaluations are rare, and a crashed run keeps them. */
    @Override
    public void onEvaluation(EvaluationEnd evaluation) {
        append(evaluation.envStep()
                + "," + number(evaluation.meanReturn())
                + "," + number(evaluation.stdReturn())
                + "," + number(evaluation.minReturn())
                + "," + number(evaluation.maxReturn())
                + "," + evaluation.episodes()
                + "," + number(evaluation.seconds()));
        flush();
    }

    @Override
    String header(TrainingStart start) {
        return HEADER;
    }
}
