package dev.gymlink.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener.EpisodeEnd;
import dev.gymlink.train.TrainingListener.Progress;
import dev.gymlink.train.TrainingListener.TrainingEnd;
import dev.gymlink.train.TrainingListener.TrainingStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvListenerTest {

    private static final ExplorationName EPSILON = new ExplorationName("epsilon", "eps");

    @TempDir
    Path dir;

    private static final TrainingStart START = new TrainingStart("CartPole-v1", 1000, 2, "test config", EPSILON);

    @Test
    void writesOneRowPerEpisodeWithEmptyCellForMissingLoss() throws Exception {
        Path csv = dir.resolve("run/metrics.csv");
        MetricsCsvListener listener = new MetricsCsvListener(csv);
        listener.onTrainingStart(START);
        listener.onEpisodeEnd(new EpisodeEnd(22, 1, 22.0, 22, true, 0.98, Double.NaN, 1500.25, 22.0));
        listener.onEpisodeEnd(new EpisodeEnd(522, 2, 500.0, 500, false, 0.05, 0.0123456789, 2100, 261.0));
        listener.onTrainingEnd(new TrainingEnd(522, 2, 1.0, false, -1, 261.0));

        assertEquals(List.of(
                "env_step,episode,return,length,terminated,epsilon,loss,steps_per_second,mean_return_100",
                "22,1,22,22,true,0.98,,1500.25,22",
                "522,2,500,500,false,0.05,0.0123457,2100,261"), Files.readAllLines(csv));
    }

    @Test
    void theExplorationColumnIsNamedByTheAgent() throws Exception {
        Path csv = dir.resolve("sac/metrics.csv");
        MetricsCsvListener listener = new MetricsCsvListener(csv);
        listener.onTrainingStart(new TrainingStart("Pendulum-v1", 1000, 1, "sac", new ExplorationName("alpha", "alpha")));
        listener.onEpisodeEnd(new EpisodeEnd(200, 1, -1500.5, 200, false, 0.25, 1.5, 900, -1500.5));
        listener.onTrainingEnd(new TrainingEnd(200, 1, 1.0, false, -1, -1500.5));

        assertEquals(List.of(
                "env_step,episode,return,length,terminated,alpha,loss,steps_per_second,mean_return_100",
                "200,1,-1500.5,200,false,0.25,1.5,900,-1500.5"), Files.readAllLines(csv));
    }

    @Test
    void numbersIgnoreTheDefaultLocale() throws Exception {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Path csv = dir.resolve("metrics.csv");
            MetricsCsvListener listener = new MetricsCsvListener(csv);
            listener.onTrainingStart(START);
            listener.onEpisodeEnd(new EpisodeEnd(10, 1, 9.5, 10, true, 0.5, 1.25, 100.5, 9.5));
            listener.close();
            assertEquals("10,1,9.5,10,true,0.5,1.25,100.5,9.5", Files.readAllLines(csv).get(1));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void aResumedRunAppendsUnderTheExistingHeader() throws Exception {
        Path csv = dir.resolve("metrics.csv");
        MetricsCsvListener first = new MetricsCsvListener(csv);
        first.onTrainingStart(START);
        first.onEpisodeEnd(new EpisodeEnd(20, 1, 20, 20, true, 0.9, Double.NaN, 100, 20));
        first.onTrainingEnd(new TrainingEnd(20, 1, 1, false, -1, 20));

        MetricsCsvListener resumed = new MetricsCsvListener(csv);
        resumed.onTrainingStart(START);
        resumed.onEpisodeEnd(new EpisodeEnd(50, 2, 30, 30, true, 0.8, 0.5, 100, 25));
        resumed.onTrainingEnd(new TrainingEnd(50, 2, 1, false, -1, 25));

        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertEquals(MetricsCsvListener.header(EPSILON), lines.get(0));
        assertEquals("50,2,30,30,true,0.8,0.5,100,25", lines.get(2));
    }

    @Test
    void resumingFromAnEarlierCheckpointDropsTheRowsItWillReplay() throws Exception {
        Path csv = dir.resolve("metrics.csv");
        Files.write(csv, List.of(MetricsCsvListener.header(EPSILON),
                "20,1,20,20,true,0.9,,100,20",
                "45,2,25,25,true,0.8,0.5,100,22.5",
                "70,3,25,25,true,0.7,0.5,100,23.3333"));
        assertEquals(1, MetricsCsvListener.dropRowsAfter(csv, 50));
        assertEquals(List.of(MetricsCsvListener.header(EPSILON), "20,1,20,20,true,0.9,,100,20",
                "45,2,25,25,true,0.8,0.5,100,22.5"), Files.readAllLines(csv));
        assertEquals(0, MetricsCsvListener.dropRowsAfter(csv, 50));
        assertEquals(0, MetricsCsvListener.dropRowsAfter(dir.resolve("absent.csv"), 50));
    }

    @Test
    void rowsReachTheDiskAtEveryProgressReport() throws Exception {
        Path csv = dir.resolve("metrics.csv");
        MetricsCsvListener listener = new MetricsCsvListener(csv);
        listener.onTrainingStart(START);
        listener.onEpisodeEnd(new EpisodeEnd(20, 1, 20, 20, true, 0.9, Double.NaN, 100, 20));
        listener.onProgress(new Progress(20, 1000, 1, 100, 20, 0.9));
        assertEquals(2, Files.readAllLines(csv).size(), "rows written before the run ends must be on disk");
        listener.close();
    }

    @Test
    void anEpisodeBeforeTheStartIsAProgrammingError() {
        MetricsCsvListener listener = new MetricsCsvListener(dir.resolve("metrics.csv"));
        assertThrows(IllegalStateException.class,
                () -> listener.onEpisodeEnd(new EpisodeEnd(1, 1, 1, 1, true, 1, Double.NaN, 1, 1)));
    }
}
