package dev.gymlink.env.pendulum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Java Pendulum against numbers Gymnasium 1.4.0 (numpy 2.4) printed for the same seeds and
 * actions, and what those numbers do not show: spec, spaces, errors, options.
 */
class PendulumTest {

    /**
     * 200 steps with the torques {@code ((7t + 3 seed) mod 41 - 20) / 10} (every value in [-2, 2],
     * so Gymnasium's clip does nothing): reset observation, first reward, return, final state.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 0.652016282081604, 0.758204996585846, -0.46042656898498535, -0.7657553094639244, -955.9325558327744,"
                + " 1.6948020701956337, -4.751858536347747, -0.12368817627429962, 0.9923211336135864",
        "1, 0.9972426891326904, 0.07420917600393295, 0.9009273648262024, -0.08957415789527297, -860.8227145596804,"
                + " 5.849607002056154, -0.7400222402122589, 0.9074682593345642, -0.4201206862926483",
        "42, -0.14995256066322327, 0.9886931777000427, -0.12224312126636505, -2.9673152415926793,"
                + " -1074.1678442297143, 5.539599611749315, -0.6514274851520572, 0.7360460162162781,"
                + " -0.6769315004348755",
    })
    void aSeededEpisodeMatchesGymnasiumBitForBit(long seed, double cos0, double sin0, double speed0,
            double firstReward, double episodeReturn, double finalTheta, double finalSpeed, double finalCos,
            double finalSin) throws Exception {
        Pendulum env = new Pendulum();
        Tensor first = (Tensor) env.reset(seed).observation();
        assertArrayEquals(new double[] {cos0, sin0, speed0}, first.data());
        double total = 0;
        StepResult step = null;
        for (int t = 0; t < 200; t++) {
            step = env.step(Tensor.float32((float) ((((t * 7L + seed * 3) % 41) - 20) / 10.0)));
            if (t == 0) {
                assertEquals(firstReward, step.reward());
            }
            assertFalse(step.terminated());
            assertEquals(t == 199, step.truncated(), "truncated only at the time limit, step " + t);
            total += step.reward();
        }
        assertEquals(episodeReturn, total);
        assertArrayEquals(new double[] {finalTheta, finalSpeed}, env.state());
        assertArrayEquals(new double[] {finalCos, finalSin, (float) finalSpeed}, ((Tensor) step.observation()).data());
    }

    @Test
    void specAndSpacesAreGymnasiums() {
        Pendulum env = new Pendulum();
        assertEquals("Pendulum-v1", env.spec().id());
        assertEquals(200, env.spec().maxEpisodeSteps().getAsInt());
        assertTrue(env.spec().rewardThreshold().isEmpty());
        assertEquals("Box(-2.0, 2.0, (1,), float32)", env.actionSpace().toString());
        assertEquals("Box([-1. -1. -8.], [1. 1. 8.], (3,), float32)", env.observationSpace().toString());
    }

    @Test
    void framesShowTheRodWhereTheAnglePointsIt() throws Exception {
        Pendulum env = new Pendulum();
        assertThrows(EnvStateException.class, env::render);
        env.reset(OptionalLong.of(1), Map.of("x_init", 0.0, "y_init", 0.0));
        RgbFrame up = env.render();
        assertEquals(500, up.width());
        assertEquals(500, up.height());
        int rod = 0xCC4D4D;
        // theta 0 is upright: the rod runs from the centre (250, 250) to 250 - 114 pixels up.
        assertEquals(rod, up.rgbAt(180, 250));
        assertEquals(0xFFFFFF, up.rgbAt(320, 250));
        assertEquals(0x000000, up.rgbAt(250, 250), "the axle");
        env.reset(OptionalLong.of(1), Map.of("x_init", Math.PI, "y_init", 0.0));
        RgbFrame other = env.render();
        double theta = env.state()[0];
        // The rod's far end at (250 - 114 sin theta, 250 - 114 cos theta) in (column, row).
        int column = (int) Math.round(250 - 90 * Math.sin(theta));
        int row = (int) Math.round(250 - 90 * Math.cos(theta));
        assertEquals(rod, other.rgbAt(row, column), "theta " + theta);
    }

    @Test
    void angleNormalizeFloorsLikeNumpy() {
        assertEquals(-Math.PI, Pendulum.angleNormalize(Math.PI));
        assertEquals(0.0, Pendulum.angleNormalize(0.0));
        assertEquals(1.0, Pendulum.angleNormalize(1.0 + 4 * Math.PI), 1e-12);
        // Negative angles wrap into [-pi, pi), where Java's % alone would give (-3pi, -pi].
        assertEquals(-1.0, Pendulum.angleNormalize(-1.0 - 4 * Math.PI), 1e-12);
        assertTrue(Pendulum.angleNormalize(-7.0) >= -Math.PI);
    }

    @Test
    void badActionsNameTheValueAndTheSpaceAndLeaveTheEnvAlone() throws Exception {
        Pendulum env = new Pendulum();
        env.reset(5);
        double[] before = env.state();
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> env.step(Tensor.float32(2.5f)));
        assertTrue(error.getMessage().contains("is not in Box(-2.0, 2.0, (1,), float32)"), error.getMessage());
        assertTrue(error.getMessage().contains("2.5"), error.getMessage());
        assertThrows(InvalidArgumentException.class, () -> env.step(Tensor.float32(Float.NaN)));
        assertThrows(InvalidArgumentException.class, () -> env.step(Tensor.float32(1f, 1f)));
        assertThrows(InvalidArgumentException.class, () -> env.step(1L));
        assertThrows(InvalidArgumentException.class, () -> env.step(null));
        assertArrayEquals(before, env.state());
        assertEquals(0, env.elapsedSteps());
    }

    @Test
    void stepsBeforeResetAndAfterTheTimeLimitAreRefused() throws Exception {
        Pendulum env = new Pendulum(3);
        assertEquals("call reset() before step()",
                assertThrows(EnvStateException.class, () -> env.step(Tensor.float32(0f))).getMessage());
        env.reset(1);
        for (int t = 0; t < 3; t++) {
            assertEquals(t == 2, env.step(Tensor.float32(0f)).truncated());
        }
        assertThrows(EnvStateException.class, () -> env.step(Tensor.float32(0f)));
        assertThrows(IllegalArgumentException.class, () -> new Pendulum(0));
    }

    @Test
    void resetOptionsSetTheStartBoundsAndUnknownOnesAreRefused() throws Exception {
        Pendulum env = new Pendulum();
        env.reset(OptionalLong.of(9), Map.of("x_init", 0.0, "y_init", 0.0));
        assertArrayEquals(new double[] {0.0, 0.0}, env.state());
        StepResult still = env.step(Tensor.float32(0f));
        assertEquals(-0.0, still.reward());
        InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class,
                () -> env.reset(OptionalLong.of(9), Map.of("low", 1.0)));
        assertTrue(unknown.getMessage().contains("'low'"), unknown.getMessage());
        assertThrows(InvalidArgumentException.class, () -> env.reset(OptionalLong.of(9), Map.of("x_init", "pi")));
        assertThrows(InvalidArgumentException.class, () -> env.reset(OptionalLong.of(-1), Map.of()));
    }
}
