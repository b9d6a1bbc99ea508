package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvForbiddenException;
import dev.gymlink.env.EnvLimitException;
import dev.gymlink.env.EnvNotFoundException;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.Tuple;
import dev.gymlink.env.VectorResetResult;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.testkit.SharedServerChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Remote envs against the real Python server: catalog, every refusal, non-Box spaces, rendering, limits. */
class RemoteEnvServerTest {

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Test
    void listEnvsReportsSpecsAndServerFacts() throws Exception {
        EnvCatalog catalog = RemoteEnvs.listEnvs(server.channel());
        EnvCatalog.Entry cartPole = catalog.find("CartPole-v1").orElseThrow();
        assertEquals(500, cartPole.spec().maxEpisodeSteps().orElseThrow());
        assertEquals(475.0, cartPole.spec().rewardThreshold().orElseThrow());
        assertEquals("classic_control", cartPole.spec().family());
        assertTrue(cartPole.nativeVector());
        assertEquals("gymlink.v1", catalog.server().protocolVersion());
        assertFalse(catalog.server().gymnasiumVersion().isBlank());
        assertTrue(catalog.server().capabilities().vector());
        assertTrue(catalog.server().capabilities().sameStepAutoreset());
        assertTrue(catalog.server().maxSessions() > 0);
        assertTrue(RemoteEnvs.isServing(server.channel(), Duration.ofSeconds(5)));
    }

    @Test
    void anUnknownIdIsNotFoundAndTheMessageSuggestsCloseMatches() {
        EnvNotFoundException error = assertThrows(EnvNotFoundException.class,
                () -> RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v9")));
        assertTrue(error.getMessage().contains("CartPole-v9"), error.getMessage());
        assertTrue(error.getMessage().contains("CartPole-v1"), error.getMessage());
    }

    @Test
    void moduleImportSyntaxIsForbidden() {
        EnvForbiddenException error = assertThrows(EnvForbiddenException.class,
                () -> RemoteEnv.connect(server.channel(), EnvOptions.of("os:system")));
        assertTrue(error.getMessage().contains("os:system"), error.getMessage());
    }

    @Test
    void anUnknownKwargIsRefusedByName() {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> RemoteEnv.connect(server.channel(),
                        EnvOptions.of("CartPole-v1").withKwargs(Map.of("gravity_on_mars", 3.7))));
        assertTrue(error.getMessage().contains("gravity_on_mars"), error.getMessage());
    }

    @Test
    void aBadActionIsRejectedByTheServerAndTheSessionGoesOn() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"));
                RemoteEnv reference = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"))) {
            env.reset(3);
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> env.step(7L));
            assertTrue(error.getMessage().contains("7"), error.getMessage());
            assertTrue(error.getMessage().contains("Discrete(2)"), error.getMessage());
            reference.reset(3);
            assertEquals(reference.step(1L).observation(), env.step(1L).observation());
        }
    }

    @Test
    void stepBeforeResetIsAStateErrorFromTheServer() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"))) {
            EnvStateException error = assertThrows(EnvStateException.class, () -> env.step(0L));
            assertTrue(error.getMessage().contains("reset"), error.getMessage());
        }
    }

    @Test
    void kwargsReachGymnasiumAndDiscreteObservationsArriveAsLongs() throws Exception {
        EnvOptions lake = EnvOptions.of("FrozenLake-v1").withKwargs(Map.of("is_slippery", false, "map_name", "4x4"));
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), lake)) {
            assertEquals(new Discrete(16), env.observationSpace());
            assertEquals(0L, env.reset(0).observation());
            StepResult right = env.step(2L);
            assertEquals(1L, right.observation(), "without slipping, RIGHT moves from cell 0 to cell 1");
            assertTrue(env.observationSpace().contains(right.observation()));
            assertEquals(0.0, right.reward());
        }
    }

    @Test
    void tupleObservationsArriveAsListsOfTheirComponents() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("Blackjack-v1"))) {
            Tuple space = assertInstanceOf(Tuple.class, env.observationSpace());
            assertEquals(3, space.spaces().size());
            Object observation = env.reset(11).observation();
            assertTrue(space.contains(observation), observation + " in " + space);
            StepResult stick = env.step(0L);
            assertTrue(stick.terminated(), "sticking ends a Blackjack round");
        }
    }

    @Test
    void resetOptionsReachTheEnv() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"))) {
            Tensor start = (Tensor) env.reset(OptionalLong.of(4), Map.of("low", -0.001, "high", 0.001)).observation();
            for (double x : start.data()) {
                assertTrue(Math.abs(x) <= 0.001, start.toString());
            }
        }
    }

    @Test
    void aTimeLimitOverrideTruncatesEarly() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1").withMaxEpisodeSteps(3))) {
            assertEquals(3, env.spec().maxEpisodeSteps().orElseThrow());
            env.reset(0);
            env.step(0L);
            env.step(1L);
            StepResult third = env.step(0L);
            assertTrue(third.truncated());
            assertFalse(third.terminated());
        }
    }

    @Test
    void renderReturnsTheFrameGymnasiumDraws() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1").withRenderMode("rgb_array"))) {
            env.reset(0);
            RgbFrame frame = env.render();
            assertEquals(400, frame.height());
            assertEquals(600, frame.width());
            assertEquals(0xffffff, frame.rgbAt(0, 0), "white background");
        }
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"))) {
            env.reset(0);
            assertThrows(EnvStateException.class, env::render, "no render mode was asked for");
        }
    }

    @Test
    void eachCopyOfAVectorRendersItsOwnFrame() throws Exception {
        EnvOptions rendering = EnvOptions.of("CartPole-v1").withRenderMode("rgb_array");
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(server.channel(), rendering, 2)) {
            env.reset(0);
            RgbFrame first = env.render(0);
            assertEquals(400, first.height());
            assertFalse(first.equals(env.render(1)), "copies start in different states, so their frames differ");
            assertThrows(InvalidArgumentException.class, () -> env.render(2));
        }
    }

    @Test
    void aResponseOverTheInboundSizeCapIsALimitError() throws Exception {
        EnvOptions tiny = EnvOptions.of("CartPole-v1").withRenderMode("rgb_array").withMaxInboundMessageBytes(10_000);
        try (RemoteEnv env = RemoteEnv.connect(server.channel(), tiny)) {
            env.reset(0);
            EnvLimitException error = assertThrows(EnvLimitException.class, env::render);
            assertTrue(error.getMessage().contains("10000"), error.getMessage());
        }
    }

    @Test
    void vectorSessionsBatchNonBoxSpacesToo() throws Exception {
        EnvOptions lake = EnvOptions.of("FrozenLake-v1").withKwargs(Map.of("is_slippery", false));
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(server.channel(), lake, 3)) {
            VectorResetResult reset = env.reset(0);
            assertEquals(List.of(0L, 0L, 0L), List.of(reset.observations()));
            // DOWN, RIGHT, UP from the start: cells 4, 1 and 0.
            VectorStepResult step = env.step(new Object[] {1L, 2L, 3L});
            assertEquals(List.of(4L, 1L, 0L), List.of(step.observations()));
        }
    }
}
