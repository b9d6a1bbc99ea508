package dev.gymlink.cli;

import dev.gymlink.env.remote.ConnectionListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The run directory's {@code events.log}: what happened to the run besides learning, one line per
 * event, tab-separated: time (UTC, ISO-8601), env step, event, env and server, detail. Connection
 * events (lost, reconnected, replayed, truncated, gave up) come from the remote envs; the trainer
 * adds started, resumed, stopped. The file is appended to, so a resumed run keeps its history, and
 * created at the first event.
 */
final class EventsLog implements ConnectionListener {

    static final String FILE_NAME = "events.log";
    static final String HEADER = "time\tenv_step\tevent\twhere\tdetail";

    private final Path file;
    private volatile LongSupplier envStep = () -> 0;

    EventsLog(Path runDirectory) {
        this.file = runDirectory.resolve(FILE_NAME);
    }

    /** Where the env step of each event comes from (the trainer, once it exists). */
    void stepsFrom(LongSupplier source) {
        envStep = Objects.requireNonNull(source, "source");
    }

    @Override
    public void onEvent(Event event) {
        write(event.time(), event.kind().name().toLowerCase(java.util.Locale.ROOT),
                event.envId() + " on " + event.target(), event.detail());
    }

    /** A trainer event: started, resumed, stopped. */
    void record(String event, String where, String detail) {
        write(Instant.now(), event, where, detail);
    }

    private synchronized void write(Instant time, String event, String where, String detail) {
        String line = time + "\t" + envStep.getAsLong() + "\t" + event + "\t" + oneLine(where) + "\t"
                + oneLine(detail) + "\n";
        try {
            Files.createDirectories(file.getParent());
            boolean fresh = !Files.exists(file);
            Files.writeString(file, (fresh ? HEADER + "\n" : "") + line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\t\\r\\n]+", " ").strip();
    }
}
