package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DqnConfigTest {

    @Test
    void tutorialIsTheSeedTutorial() {
        DqnConfig tutorial = DqnConfig.tutorial();
        assertEquals(List.of(24, 24), tutorial.hiddenSizes());
        assertEquals(DqnConfig.Loss.MSE, tutorial.loss());
        assertEquals(0.001, tutorial.learningRate());
        assertEquals(0.95, tutorial.gamma());
        assertEquals(2_000, tutorial.bufferSize());
        assertEquals(32, tutorial.batchSize());
        assertEquals(new DqnConfig.Exploration.DecayPerReplay(1.0, 0.01, 0.995), tutorial.exploration());
        assertEquals(new DqnConfig.UpdateSchedule.AfterEpisode(), tutorial.updates());
        assertEquals(new DqnConfig.TargetNetwork.None(), tutorial.targetNetwork());
        assertFalse(tutorial.doubleDqn());
        assertFalse(tutorial.bootstrapOnTruncation(), "the tutorial's done ends the return either way");
        assertEquals(-10.0, tutorial.episodeEndReward());
        assertEquals(1_000, tutorial.maxEpisodes());
        assertEquals(1, tutorial.numEnvs());
    }

    @Test
    void defaultsHaveTheImprovements() {
        DqnConfig defaults = DqnConfig.defaults();
        assertTrue(defaults.doubleDqn());
        assertEquals(DqnConfig.Loss.HUBER, defaults.loss());
        assertTrue(defaults.bootstrapOnTruncation());
        assertTrue(Double.isFinite(defaults.maxGradNorm()));
        assertEquals(0.99, defaults.gamma());
        assertTrue(defaults.targetNetwork() instanceof DqnConfig.TargetNetwork.Hard);
        assertTrue(defaults.exploration() instanceof DqnConfig.Exploration.Linear);
        assertTrue(defaults.numEnvs() > 1);
    }

    @Test
    void tutorialEpsilonDecaysPerReplayAndStopsAtTheFirstValueBelowTheMinimum() {
        DqnConfig.Exploration decay = DqnConfig.tutorial().exploration();
        assertEquals(1.0, decay.epsilon(123, 0));
        assertEquals(0.995 * 0.995, decay.epsilon(0, 2), 1e-15);
        double floor = decay.epsilon(0, 5_000);
        assertTrue(floor <= 0.01 && floor > 0.01 * 0.995, "stops just below 0.01, got " + floor);
        assertEquals(floor, decay.epsilon(0, 919), "0.995^919 is the first value at or below 0.01");
    }

    @Test
    void linearEpsilonReachesItsEndAfterDecaySteps() {
        DqnConfig.Exploration linear = new DqnConfig.Exploration.Linear(1.0, 0.1, 1_000);
        assertEquals(1.0, linear.epsilon(0, 0));
        assertEquals(0.55, linear.epsilon(500, 0), 1e-12);
        assertEquals(0.1, linear.epsilon(1_000, 0), 1e-12);
        assertEquals(0.1, linear.epsilon(50_000, 0), 1e-12);
    }

    @Test
    void overridesKeepEverythingElse() {
        DqnConfig changed = DqnConfig.defaults().withSeed(9).withNumEnvs(8).withTotalSteps(1_234)
                .withBackend(NetworkBackend.ND4J).withHiddenSizes(List.of(32));
        DqnConfig expected = DqnConfig.defaults().toBuilder().seed(9).numEnvs(8).totalSteps(1_234)
                .backend(NetworkBackend.ND4J).hiddenSizes(List.of(32)).build();
        assertEquals(expected, changed);
        assertEquals(DqnConfig.defaults().gamma(), changed.gamma());
    }

    @Test
    void invalidValuesAreRejectedNamingTheValue() {
        assertMessage("gamma must be in [0, 1], got 1.5", () -> DqnConfig.defaults().toBuilder().gamma(1.5).build());
        assertMessage("batchSize must be in 1..bufferSize (100), got 200",
                () -> DqnConfig.defaults().toBuilder().bufferSize(100).batchSize(200).build());
        assertMessage("hidden layer width must be in 1..65536, got [64, 0]",
                () -> DqnConfig.defaults().withHiddenSizes(List.of(64, 0)));
        assertMessage("numEnvs must be in 1..4096, got 0", () -> DqnConfig.defaults().withNumEnvs(0));
        assertMessage("learningStarts (10) must be at least batchSize (64)",
                () -> DqnConfig.defaults().toBuilder().updates(new DqnConfig.UpdateSchedule.EveryEnvSteps(10, 4, 1))
                        .build());
        assertMessage("doubleDqn needs a target network, but targetNetwork is None",
                () -> DqnConfig.defaults().toBuilder().targetNetwork(new DqnConfig.TargetNetwork.None()).build());
        assertMessage("Polyak tau must be in (0, 1], got 0.0", () -> new DqnConfig.TargetNetwork.Polyak(0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> DqnConfig.defaults().toBuilder().exploration(new DqnConfig.Exploration.DecayPerReplay(1, 0.01, 0.99))
                        .build(),
                "per-replay decay without replays would never decay");
    }

    @Test
    void configsRoundTripThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (DqnConfig config : List.of(DqnConfig.defaults(), DqnConfig.tutorial(),
                DqnConfig.defaults().toBuilder().targetNetwork(new DqnConfig.TargetNetwork.Polyak(0.005, 1)).build())) {
            assertEquals(config, json.readValue(json.writeValueAsString(config), DqnConfig.class));
        }
    }

    @Test
    void heldExplorationRoundTripsAndOlderRunDirectoriesReadAsClassic() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DqnConfig held = DqnConfig.defaults().toBuilder()
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.07, 24_000, 32)).build();
        assertEquals(held, json.readValue(json.writeValueAsString(held), DqnConfig.class));
        String older = json.writeValueAsString(DqnConfig.defaults()).replace(",\"maxActionRepeat\":1", "");
        assertTrue(!older.contains("maxActionRepeat"), older);
        assertEquals(DqnConfig.defaults(), json.readValue(older, DqnConfig.class));
        assertMessage("maxActionRepeat must be at least 1 (1: a new choice every step), got 0",
                () -> new DqnConfig.Exploration.Linear(1.0, 0.07, 24_000, 0));
    }

    @Test
    void runDirectoriesWrittenBeforeTheRenameStillRead() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String written = json.writeValueAsString(DqnConfig.tutorial()).replace("\"origin\":", "\"preset\":");
        assertTrue(written.contains("\"preset\":\"tutorial\""), written);
        assertEquals(DqnConfig.tutorial(), json.readValue(written, DqnConfig.class));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertEquals(expected, e.getMessage());
    }
}
