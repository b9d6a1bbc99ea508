package dev.gymlink.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener.EvaluationEnd;
import dev.gymlink.train.TrainingListener.TrainingStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationsCsvListenerTest {

    private static final ExplorationName EPSILON = new ExplorationName("epsilon", "eps");

    @TempDir
    Path dir;

    private static final TrainingStart START = new TrainingStart("Acrobot-v1", 100_000, 4, "test config", EPSILON);

    @Test
    void oneRowPerEvaluationAndAResumeDropsTheReplayedOnes() throws Exception {
        Path csv = dir.resolve(EvaluationsCsvListener.FILE_NAME);
        EvaluationsCsvListener first = new EvaluationsCsvListener(csv);
        first.onTrainingStart(START);
        first.onEvaluation(new EvaluationEnd(10_000, 20, -80.5, 12.25, -120, -62, -100, true, true, 31.4159265));
        first.onEvaluation(new EvaluationEnd(20_000, 20, -216, 0, -216, -216, -100, false, false, 60));
        assertEquals(List.of(EvaluationsCsvListener.HEADER,
                "10000,-80.5,12.25,-120,-62,20,31.4159",
                "20000,-216,0,-216,-216,20,60"), Files.readAllLines(csv), "written at once, before the run ends");
        first.close();

        assertEquals(1, EvaluationsCsvListener.dropRowsAfter(csv, 15_000));
        EvaluationsCsvListener resumed = new EvaluationsCsvListener(csv);
        resumed.onTrainingStart(START);
        resumed.onEvaluation(new EvaluationEnd(20_000, 20, -78, 3, -85, -70, -100, true, true, 70));
        resumed.close();
        assertEquals(List.of(EvaluationsCsvListener.HEADER,
                "10000,-80.5,12.25,-120,-62,20,31.4159",
                "20000,-78,3,-85,-70,20,70"), Files.readAllLines(csv));
    }
}
