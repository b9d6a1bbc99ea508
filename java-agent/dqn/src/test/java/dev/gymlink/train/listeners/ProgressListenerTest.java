package dev.gymlink.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener.EvaluationEnd;
import dev.gymlink.train.TrainingListener.Progress;
import dev.gymlink.train.TrainingListener.TrainingEnd;
import dev.gymlink.train.TrainingListener.TrainingStart;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {

    private static final ExplorationName EPSILON = new ExplorationName("epsilon", "eps");

    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text, true);

    @Test
    void plainModePrintsOneCompleteLinePerReport() {
        ProgressListener listener = new ProgressListener(out, false);
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 50_000, 4, "preset default", EPSILON));
        listener.onProgress(new Progress(10_000, 50_000, 120, 2000, Double.NaN, 0.5));
        listener.onProgress(new Progress(20_000, 50_000, 200, 2500, 187.25, 0.05));
        listener.onProgress(new Progress(20_000, 50_000, 200, 2500, 187.25, 0.05));
        listener.onTrainingEnd(new TrainingEnd(20_000, 200, 9, true, 20_000, 480));

        String printed = text.toString();
        assertFalse(printed.contains("\r"), "log lines never rewrite themselves");
        String[] lines = printed.split("\n");
        assertEquals(3, lines.length);
        assertEquals("training CartPole-v1 for 50,000 env steps on 4 envs: preset default", lines[0]);
        assertEquals("step 10000/50000 (20%) episodes 120 avg100 - epsilon 0.500 steps/s 2000 eta 20s", lines[1]);
        assertEquals("step 20000/50000 (40%) episodes 200 avg100 187.3 epsilon 0.050 steps/s 2500 eta 12s", lines[2]);
    }

    @Test
    void eachAlgorithmsExplorationRateAppearsUnderItsOwnName() {
        ExplorationName alpha = new ExplorationName("alpha", "alpha");
        ProgressListener listener = new ProgressListener(out, false);
        listener.onTrainingStart(new TrainingStart("Pendulum-v1", 20_000, 1, "sac", alpha));
        listener.onProgress(new Progress(10_000, 20_000, 50, 500, -812.5, 0.1234));

        String[] lines = text.toString().split("\n");
        assertEquals("step 10000/20000 (50%) episodes 50 avg100 -812.5 alpha 0.123 steps/s 500 eta 20s", lines[1]);
        assertEquals("[############............]  50% 10,000/20,000 steps | 500 steps/s | avg100 -812.5 | alpha 0.123"
                + " | ep 50 | 20s left", ProgressListener.barLine(new Progress(10_000, 20_000, 50, 500, -812.5, 0.1234),
                alpha));
    }

    @Test
    void anExplorationNameMustServeAsColumnAndTag() {
        assertThrows(IllegalArgumentException.class, () -> new ExplorationName("Alpha", "a"));
        assertThrows(IllegalArgumentException.class, () -> new ExplorationName("en,try", "e"));
        assertThrows(IllegalArgumentException.class, () -> new ExplorationName("train/alpha", "a"));
        assertThrows(IllegalArgumentException.class, () -> new ExplorationName("alpha", " "));
        assertThrows(IllegalArgumentException.class, () -> new ExplorationName("alpha", "al pha"));
    }

    @Test
    void liveModeRedrawsOneLineAndEndsItAtTheEnd() {
        ProgressListener listener = new ProgressListener(out, true);
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 100_000, 1, "x", EPSILON));
        listener.onProgress(new Progress(50_000, 100_000, 300, 1000, 250.0, 0.05));
        listener.onProgress(new Progress(100_000, 100_000, 600, 1000, 480.0, 0.05));
        listener.onTrainingEnd(new TrainingEnd(100_000, 600, 100, true, 90_000, 480));

        String printed = text.toString();
        String afterHeader = printed.substring(printed.indexOf('\n') + 1);
        assertEquals(2, afterHeader.chars().filter(c -> c == '\r').count());
        assertTrue(afterHeader.endsWith("\n"));
        assertTrue(afterHeader.contains("[############............]  50% 50,000/100,000 steps"), afterHeader);
        assertTrue(afterHeader.contains("[########################] 100% 100,000/100,000 steps | 1,000 steps/s"
                + " | avg100 480.0 | eps 0.050 | ep 600 | 0s left"), afterHeader);
    }

    @Test
    void anEvaluationGetsItsOwnLineAndTheBarComesBackBelowIt() {
        ProgressListener listener = new ProgressListener(out, true);
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 50_000, 1, "x", EPSILON));
        listener.onProgress(new Progress(25_000, 50_000, 150, 1000, 300.0, 0.05));
        listener.onEvaluation(new EvaluationEnd(25_000, 20, 480.5, 25.25, 400, 500, 475, true, true, 12.5));
        listener.onProgress(new Progress(26_000, 50_000, 152, 1000, 310.0, 0.05));
        String printed = text.toString();
        String evaluation = "evaluation at step 25000: mean return 480.5 +- 25.3 (min 400.0, max 500.0) over 20 greedy"
                + " episodes >= 475: solved (best so far)\n";
        assertTrue(printed.contains("\r" + evaluation + "\r["), printed);
    }

    @Test
    void aShorterLineCoversTheLongerOneBeforeIt() {
        ProgressListener listener = new ProgressListener(out, true);
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 10_000_000, 1, "x", EPSILON));
        text.getBuffer().setLength(0);
        listener.onProgress(new Progress(1, 10_000_000, 0, 1, Double.NaN, 1.0));
        String first = text.toString();
        text.getBuffer().setLength(0);
        listener.onProgress(new Progress(10_000_000, 10_000_000, 9, 1_000_000, 1, 0.0));
        String second = text.toString();
        assertTrue(second.length() >= first.length(), "padding must hide the remains of the previous line");
    }
}
