package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.remote.ConnectionListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsLogTest {

    @TempDir
    Path run;

    @Test
    void eventsAreTabSeparatedLinesWithTheEnvStepAndNothingIsWrittenBeforeTheFirst() throws IOException {
        EventsLog log = new EventsLog(run);
        assertTrue(Files.notExists(run.resolve(EventsLog.FILE_NAME)), "no file without events");
        long[] step = {1_234};
        log.stepsFrom(() -> step[0]);
        log.onEvent(new ConnectionListener.Event(ConnectionListener.Kind.REPLAYED, "CartPole-v1", "host:50051",
                "replayed 12 steps\nof 4 episodes", Instant.parse("2026-11-30T06:00:00Z")));
        step[0] = 2_000;
        log.record("stopped", "server host:50051", "gave up");

        List<String> lines = Files.readAllLines(run.resolve(EventsLog.FILE_NAME));
        assertEquals(EventsLog.HEADER, lines.get(0));
        assertEquals("2026-11-30T06:00:00Z\t1234\treplayed\tCartPole-v1 on host:50051\treplayed 12 steps of 4 episodes",
                lines.get(1));
        assertTrue(lines.get(2).matches("\\S+\t2000\tstopped\tserver host:50051\tgave up"), lines.get(2));
        new EventsLog(run).record("resumed", "server host:50051", "from checkpoints/step-2000");
        assertEquals(4, Files.readAllLines(run.resolve(EventsLog.FILE_NAME)).size(), "appended, one header");
    }
}
