package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code gymlink plot}: runs that differ only in their seed form one group, labelled by what sets the groups apart. */
@Timeout(300)
class PlotCommandTest {

    @TempDir
    Path dir;

    @Test
    void comparesTwoSettingsOverTwoSeedsEachInOnePicture() throws Exception {
        for (String learningRate : new String[] {"1e-3", "5e-3"}) {
            for (String seed : new String[] {"1", "2"}) {
                CliRun train = CliRun.of("train", "--steps", "3000", "--seed", seed, "--set", "learningRate=" + learningRate,
                        "--set", "solve.evalEverySteps=1000", "--set", "solve.evalEpisodes=2", "--checkpoint-every", "0",
                        "--out", dir.resolve("lr" + learningRate + "-seed" + seed).toString());
                assertEquals(0, train.exitCode(), train.toString());
            }
        }
        Path png = dir.resolve("compare.png");
        CliRun plot = CliRun.of("plot", dir.resolve("lr1e-3-seed1").toString(), dir.resolve("lr1e-3-seed2").toString(),
                dir.resolve("lr5e-3-seed1").toString(), dir.resolve("lr5e-3-seed2").toString(), "--out", png.toString());
        assertEquals(0, plot.exitCode(), plot.toString());
        assertTrue(plot.out().contains("learningRate=0.001: " + dir.resolve("lr1e-3-seed1") + " "
                + dir.resolve("lr1e-3-seed2")), plot.toString());
        assertTrue(plot.out().contains("learningRate=0.005: "), plot.toString());
        assertTrue(plot.out().contains("wrote " + png + " (2 groups of 4 runs)"), plot.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertTrue(image.getWidth() >= 600, "width " + image.getWidth());

        CliRun notARun = CliRun.of("plot", dir.toString());
        assertEquals(Gymlink.EXIT_FAILURE, notARun.exitCode(), notARun.toString());
        assertTrue(notARun.err().contains("is not a gymlink run directory"), notARun.toString());
    }
}
