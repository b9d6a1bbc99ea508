package dev.gymlink.train.listeners;

import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.RunProvenance;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Saves the run's complete state with {@link Checkpoints}: every {@code everySteps} env steps, so
 * a crashed or stopped run can be resumed, and once more at the end, so the trained agent is
 * always on disk. Only the newest {@code keep} checkpoints stay. After every greedy evaluation that
 * beats the earlier ones it also writes {@code checkpoints/best}, with that evaluation in its
 * provenance: the policy a run keeps, however later training goes.
 */
public final class CheckpointListener implements TrainingListener {

    private final Path runDirectory;
    private final RunProvenance provenance;
    private final long everySteps;
    private final int keep;
    private long nextCheckpointStep = -1;
    private Path lastWritten;
    private EvaluationEnd pendingBest;

    /**
     * @param everySteps env steps between checkpoints; 0 writes only the final one
     * @param keep how many checkpoints to keep, at least 1
     */
    public CheckpointListener(Path runDirectory, RunProvenance provenance, long everySteps, int keep) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 env steps, got " + everySteps);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("must keep at least 1 checkpoint, got " + keep);
        }
        this.runDirectory = runDirectory;
        this.provenance = provenance;
        this.everySteps = everySteps;
        this.keep = keep;
    }

    /** Remembers a new best; {@link #afterStep} of the same step writes it, when the trainer's state is at hand. */
    @Override
    public void onEvaluation(EvaluationEnd evaluation) {
        if (evaluation.best()) {
            pendingBest = evaluation;
        }
    }

    @Override
    public void afterStep(Trainer trainer) {
        if (pendingBest != null) {
            writeBest(trainer, pendingBest);
            pendingBest = null;
        }
        if (everySteps == 0) {
            return;
        }
        if (nextCheckpointStep < 0) {
            // A resumed run continues the schedule of the original one.
            nextCheckpointStep = (trainer.envSteps() / everySteps + 1) * everySteps;
        }
        if (trainer.envSteps() >= nextCheckpointStep) {
            write(trainer);
            nextCheckpointStep = (trainer.envSteps() / everySteps + 1) * everySteps;
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer, TrainingEnd end) {
        write(trainer);
    }

    /** The checkpoint directory written last, if any. */
    public Optional<Path> lastWritten() {
        return Optional.ofNullable(lastWritten);
    }

    private void writeBest(Trainer trainer, EvaluationEnd evaluation) {
        try {
            Checkpoints.writeBest(runDirectory, trainer.checkpointParts(), provenance.withEvaluation(evaluation));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the best checkpoint into " + runDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    private void write(Trainer trainer) {
        try {
            lastWritten = Checkpoints.write(runDirectory, trainer.envSteps(), trainer.checkpointParts(), provenance);
            Checkpoints.prune(runDirectory, keep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + runDirectory + ": " + e.getMessage(), e);
        }
    }
}
