package dev.gymlink.env.cartpole;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What the golden trajectories do not show: spec, spaces, errors, options, rendering. */
class CartPoleTest {

    @Test
    void specAndSpacesAreGymnasiums() {
        CartPole env = new CartPole();
        assertEquals("CartPole-v1", env.spec().id());
        assertEquals(500, env.spec().maxEpisodeSteps().getAsInt());
        assertEquals(475.0, env.spec().rewardThreshold().getAsDouble());
        assertFalse(env.spec().nondeterministic());
        assertEquals("Discrete(2)", env.actionSpace().toString());
        assertEquals("Box([-4.8               -inf -0.41887903        -inf], "
                + "[4.8               inf 0.41887903        inf], (4,), float32)", env.observationSpace().toString());
        // float32 bounds, as numpy stores them: the limit observation of a terminated episode fits.
        assertEquals((double) 4.8f, env.observationSpace().high()[0]);
        assertEquals((double) (float) (24 * Math.PI / 180), env.observationSpace().high()[2]);
    }

    @Test
    void theDocumentedExampleResetMatchesGymnasium() throws Exception {
        // Gymnasium's CartPole docstring: env.reset(seed=123, options={"low": -0.1, "high": 0.1}) gives
        // array([ 0.03647037, -0.0892358 , -0.05592803, -0.06312564], dtype=float32); exactly:
        CartPole env = new CartPole();
        Tensor obs = (Tensor) env.reset(OptionalLong.of(123), Map.of("low", -0.1, "high", 0.1)).observation();
        assertArrayEquals(new double[] {0.03647037222981453, -0.08923579752445221, -0.055928025394678116,
            -0.06312564015388489}, obs.data());
    }

    @Test
    void badActionsNameTheValueAndTheSpace() throws Exception {
        CartPole env = new CartPole();
        env.reset(1);
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> env.step(2));
        assertEquals("action 2 is not in Discrete(2)", error.getMessage());
        error = assertThrows(InvalidArgumentException.class, () -> env.step(null));
        assertEquals("action null is not in Discrete(2)", error.getMessage());
        error = assertThrows(InvalidArgumentException.class, () -> env.step(1.0));
        assertEquals("action 1.0 is not in Discrete(2)", error.getMessage());
    }

    @Test
    void theMissingResetIsReportedBeforeABadAction() {
        assertThrows(EnvStateException.class, () -> new CartPole().step(-1));
    }

    @Test
    void stepAfterTheEndAndBeforeResetSayWhatToDo() throws Exception {
        CartPole env = new CartPole();
        EnvStateException before = assertThrows(EnvStateException.class, () -> env.step(0));
        assertEquals("call reset() before step()", before.getMessage());
        env.reset(3);
        StepResult step;
        do {
            step = env.step(1);
        } while (!step.done());
        assertTrue(step.terminated(), "always pushing right tips the pole over");
        EnvStateException after = assertThrows(EnvStateException.class, () -> env.step(0));
        assertEquals("the episode has ended; call reset() before step()", after.getMessage());
    }

    @Test
    void theTimeLimitCanBeChanged() throws Exception {
        CartPole env = CartPole.withMaxEpisodeSteps(3);
        assertEquals(3, env.spec().maxEpisodeSteps().getAsInt());
        env.reset(0);
        assertFalse(env.step(0).truncated());
        assertFalse(env.step(1).truncated());
        StepResult last = env.step(0);
        assertTrue(last.truncated());
        assertFalse(last.terminated());
        assertThrows(IllegalArgumentException.class, () -> CartPole.withMaxEpisodeSteps(0));
    }

    @Test
    void suttonBartoRewardIsZeroPerStepAndMinusOneAtTheEnd() throws Exception {
        CartPole env = new CartPole(CartPole.Options.DEFAULTS.withSuttonBartoReward(true));
        env.reset(0);
        StepResult step;
        do {
            step = env.step(0);
            assertEquals(step.terminated() ? -1.0 : 0.0, step.reward());
        } while (!step.done());
    }

    @Test
    void resetOptionsAreChecked() throws Exception {
        CartPole env = new CartPole();
        assertThrows(InvalidArgumentException.class, () -> env.reset(OptionalLong.of(1), Map.of("lo", 0.1)));
        assertThrows(InvalidArgumentException.class, () -> env.reset(OptionalLong.of(1), Map.of("low", "x")));
        assertThrows(InvalidArgumentException.class,
                () -> env.reset(OptionalLong.of(1), Map.of("low", 0.2, "high", 0.1)));
        Tensor fixed = (Tensor) env.reset(OptionalLong.of(1), Map.of("low", 0.01, "high", 0.01)).observation();
        assertArrayEquals(new float[] {0.01f, 0.01f, 0.01f, 0.01f}, fixed.toFloatArray());
    }

    @Test
    void theFirstUnseededResetDrawsFreshEntropy() throws Exception {
        Tensor a = (Tensor) new CartPole().reset().observation();
        Tensor b = (Tensor) new CartPole().reset().observation();
        assertNotEquals(a, b);
    }

    @Test
    void rendersA600By400FrameOfTheState() throws Exception {
        CartPole env = new CartPole();
        assertThrows(EnvStateException.class, env::render);
        env.reset(OptionalLong.of(0), Map.of("low", 0.0, "high", 0.0));
        RgbFrame upright = env.render();
        assertEquals(400, upright.height());
        assertEquals(600, upright.width());
        assertEquals(0xFFFFFF, upright.rgbAt(10, 10), "background");
        // Cart centred at x = 300, its top 100 px above the bottom edge; the pole rises above it.
        assertEquals(0x000000, upright.rgbAt(400 - 100, 290), "cart");
        assertEquals(0xCA9865, upright.rgbAt(400 - 200, 300), "pole straight up");
        assertEquals(0x8184CB, upright.rgbAt(400 - 107, 300), "axle");

        env.reset(OptionalLong.of(0), Map.of("low", 0.2, "high", 0.2));
        RgbFrame leaning = env.render();
        int cartCentre = (int) Math.round(0.2 * 600 / 4.8 + 300);
        assertEquals(0x000000, leaning.rgbAt(400 - 100, cartCentre), "cart moved right by 0.2 m");
        int poleTipX = (int) Math.round(cartCentre + Math.sin(0.2) * 90);
        assertEquals(0xCA9865, leaning.rgbAt((int) Math.round(400 - 107.5 - Math.cos(0.2) * 90), poleTipX),
                "pole leans right for a positive angle");
        assertNotEquals(upright, leaning);
    }

    @Test
    void closedEnvRefusesWork() throws Exception {
        CartPole env = new CartPole();
        env.reset(0);
        env.close();
        env.close();
        assertThrows(EnvStateException.class, () -> env.step(0));
        assertThrows(EnvStateException.class, () -> env.reset(0));
        assertThrows(EnvStateException.class, env::render);
    }
}
