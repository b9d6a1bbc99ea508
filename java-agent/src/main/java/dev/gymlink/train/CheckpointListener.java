package dev.gymlink.train;

import dev.gymlink.env.EnvSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a checkpoint into a run directory every {@code everySteps} env steps and once at the end
 * of training, keeping the newest {@code keep}. Provenance is recorded with each.
 */
public final class CheckpointListener implements TrainingListener {

    private final Path runDir;
    private final long everySteps;
    private final int keep;
    private final EnvSpec envSpec;
    private final Map<String, String> remoteVersions;
    private final Optional<String> gitCommit;
    private long lastWrittenStep = -1;

    /**
     * @param runDir the run directory (created if missing)
     * @param everySteps env steps between checkpoints
     * @param keep how many of the newest checkpoints to keep (at least 1)
     * @param envSpec the spec of the env trained on, for provenance
     * @param remoteVersions server and Gymnasium versions for a remote env; empty for a local one
     */
    public CheckpointListener(Path runDir, long everySteps, int keep, EnvSpec envSpec,
            Map<String, String> remoteVersions) {
        if (everySteps <= 0 || keep <= 0) {
            throw new IllegalArgumentException(
                    "everySteps and keep must be positive, got " + everySteps + " and " + keep);
        }
        this.runDir = runDir;
        this.everySteps = everySteps;
        this.keep = keep;
        this.envSpec = envSpec;
        this.remoteVersions = Map.copyOf(remoteVersions);
        this.gitCommit = RunProvenance.gitCommit(Path.of(""));
    }

    @Override
    public void afterStep(Trainer trainer) {
        long step = trainer.envSteps();
        if (lastWrittenStep < 0) {
            lastWrittenStep = step - step % everySteps;
        }
        if (step / everySteps > lastWrittenStep / everySteps) {
            write(trainer);
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer, TrainingEnd end) {
        if (trainer.envSteps() != lastWrittenStep) {
            write(trainer);
        }
        onTrainingEnd(end);
    }

    private void write(Trainer trainer) {
        try {
            RunProvenance provenance = RunProvenance.of(envSpec, trainer.agent().config(), trainer.agent().backend(),
                    remoteVersions, gitCommit);
            Checkpoints.write(runDir, trainer.checkpoint(), provenance);
            Checkpoints.prune(runDir, keep);
            lastWrittenStep = trainer.envSteps();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + runDir + ": " + e.getMessage(), e);
        }
    }
}
