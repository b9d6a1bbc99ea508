package dev.gymlink.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener.EpisodeEnd;
import dev.gymlink.train.TrainingListener.TrainingEnd;
import dev.gymlink.train.TrainingListener.TrainingStart;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveListenerTest {

    private static final ExplorationName EPSILON = new ExplorationName("epsilon", "eps");

    @TempDir
    Path dir;

    @Test
    void drawsADecodablePngWithTheThresholdLine() throws Exception {
        Path png = dir.resolve("run/" + LearningCurve.FILE_NAME);
        LearningCurveListener listener = new LearningCurveListener(png, OptionalDouble.of(475));
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 10_000, 1, "test", EPSILON));
        double sum = 0;
        for (int episode = 1; episode <= 150; episode++) {
            double episodeReturn = Math.min(500, 10 + 3.5 * episode);
            sum += episodeReturn;
            listener.onEpisodeEnd(new EpisodeEnd(episode * 100L, episode, episodeReturn, (int) episodeReturn, true,
                    0.1, 0.5, 1000, sum / episode));
        }
        listener.onTrainingEnd(new TrainingEnd(15_000, 150, 3.0, true, 15_000, 400));

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the file must decode as an image");
        assertEquals(LearningCurve.WIDTH, image.getWidth());
        assertEquals(LearningCurve.HEIGHT, image.getHeight());
        assertTrue(countPixels(image, 40, 140, 60) > 100, "the dashed threshold line is drawn in its colour");
        assertTrue(countPixels(image, 200, 60, 30) > 100, "the moving average is drawn in its colour");
        assertFalse(Files.exists(png.resolveSibling(png.getFileName() + ".partial")));
    }

    @Test
    void noThresholdLineWhenTheEnvHasNone() throws Exception {
        Path png = dir.resolve(LearningCurve.FILE_NAME);
        LearningCurveListener listener = new LearningCurveListener(png, OptionalDouble.empty());
        listener.onTrainingStart(new TrainingStart("Acrobot-v1", 1000, 1, "test", EPSILON));
        listener.onEpisodeEnd(new EpisodeEnd(100, 1, -100, 100, true, 0.5, Double.NaN, 100, -100));
        listener.onTrainingEnd(new TrainingEnd(100, 1, 1, false, -1, -100));
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(0, countPixels(image, 40, 140, 60));
    }

    @Test
    void aResumedCurveContinuesFromTheMetricsCsv() throws Exception {
        Path csv = dir.resolve(MetricsCsvListener.FILE_NAME);
        Files.write(csv, List.of(MetricsCsvListener.header(EPSILON),
                "10,1,10,10,true,0.9,,100,10",
                "30,2,20,20,true,0.8,0.5,100,15"));
        List<LearningCurve.Point> earlier = LearningCurve.readMetricsCsv(csv);
        assertEquals(List.of(new LearningCurve.Point(1, 10, 10), new LearningCurve.Point(2, 20, 15)), earlier);

        LearningCurveListener listener = new LearningCurveListener(
                dir.resolve(LearningCurve.FILE_NAME), OptionalDouble.of(475), earlier, 0);
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 1000, 1, "test", EPSILON));
        listener.onEpisodeEnd(new EpisodeEnd(60, 1, 30, 30, true, 0.7, 0.4, 100, 20));
        assertEquals(new LearningCurve.Point(3, 30, 20), listener.points().get(2));
    }

    private static int countPixels(BufferedImage image, int red, int green, int blue) {
        int wanted = red << 16 | green << 8 | blue;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == wanted) {
                    count++;
                }
            }
        }
        return count;
    }
}
