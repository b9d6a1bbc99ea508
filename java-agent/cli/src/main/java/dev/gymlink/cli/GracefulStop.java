package dev.gymlink.cli;

import dev.gymlink.train.Trainer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during training: instead of dying mid-step, the trainer finishes its step and
 * ends normally, so the final checkpoint and metrics are written and {@code --resume} continues from
 * exactly there. The JVM's shutdown waits (boundedly) until that is done.
 */
final class GracefulStop implements AutoCloseable {

    /** Longest a shutdown waits for the final checkpoint; a stuck env must not block exit forever. */
    static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    private GracefulStop(Trainer trainer) {
        hook = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gymlink-graceful-stop");
    }

    static GracefulStop install(Trainer trainer) {
        GracefulStop stop = new GracefulStop(trainer);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** Training and its reporting are done: a pending shutdown may proceed, a later one needs no wait. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is running and has just been released.
        }
    }
}
