package dev.gymlink.agent.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.run.SolveCriterion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TunedHyperparametersTest {

    /** The envs issue 7 names, as Gymnasium 1.4 registers them, and the ids older releases use. */
    private static final List<String> LISTED_ENVS = List.of("CartPole-v1", "Acrobot-v1", "MountainCar-v0",
            "LunarLander-v3", "FrozenLake-v1", "Taxi-v4", "Taxi-v3", "CliffWalking-v1", "CliffWalking-v0");

    private final TunedHyperparameters bundled = TunedHyperparameters.bundled();

    @Test
    void envKwargsFromTheCommandLineReadAsJsonWhenTheyCan() {
        TunedHyperparameters.EnvSettings settings = TunedHyperparameters.bundled().envSettings("FrozenLake-v1")
                .with("is_slippery", "true").with("map_name", "8x8").with("success_rate", "0.5")
                .with("desc", "[\"SF\", \"HG\"]").with("max_episode_steps", "50");
        assertEquals(Map.of("is_slippery", true, "map_name", "8x8", "success_rate", 0.5, "desc", List.of("SF", "HG")),
                settings.kwargs());
        assertEquals(OptionalInt.of(50), settings.maxEpisodeSteps());
        assertEquals(Map.of("is_slippery", false), TunedHyperparameters.bundled().envSettings("FrozenLake-v1").kwargs(),
                "the preset's own settings are unchanged");
        for (String[] bad : new String[][] {{"", "1"}, {"max_episode_steps", "0"}, {"max_episode_steps", "ten"},
                {"x", "null"}}) {
            assertThrows(IllegalArgumentException.class, () -> TunedHyperparameters.EnvSettings.NONE.with(bad[0], bad[1]),
                    String.join("=", bad));
        }
    }

    @Test
    void everyListedEnvHasAValidPresetNamedAfterIt() {
        for (String envId : LISTED_ENVS) {
            TunedHyperparameters.EnvTuning tuning = bundled.find(envId).orElseThrow(() -> new AssertionError("no tuning for " + envId));
            DqnConfig config = bundled.config(envId);
            assertSame(tuning.config(), config);
            assertTrue(config.origin().equals(envId) || tuning.alsoFor().contains(envId), config.origin());
            assertFalse(tuning.source().isBlank(), envId);
            assertTrue(config.updates() instanceof DqnConfig.UpdateSchedule.EveryEnvSteps, envId);
            assertTrue(config.targetNetwork() instanceof DqnConfig.TargetNetwork.Hard, envId);
        }
        assertEquals(LISTED_ENVS.stream().sorted().toList(), List.copyOf(bundled.envIds()));
    }

    @Test
    void cartPolePresetIsTheDefaultConfig() {
        assertEquals(DqnConfig.defaults().toBuilder().origin("CartPole-v1").build(), bundled.config("CartPole-v1"));
    }

    @Test
    void zooKeysMapOntoTheConfig() {
        DqnConfig acrobot = bundled.config("Acrobot-v1");
        assertEquals(100_000, acrobot.totalSteps());
        assertEquals(6.3e-4, acrobot.learningRate());
        assertEquals(128, acrobot.batchSize());
        assertEquals(50_000, acrobot.bufferSize());
        assertEquals(0.99, acrobot.gamma());
        assertEquals(List.of(64, 64), acrobot.hiddenSizes());
        // gradient_steps -1: one gradient step per env step, in bursts of train_freq.
        assertEquals(new DqnConfig.UpdateSchedule.EveryEnvSteps(1_000, 4, 4), acrobot.updates());
        assertEquals(new DqnConfig.TargetNetwork.Hard(250), acrobot.targetNetwork());
        // exploration_fraction 0.12 of 100k steps, from the default start of 1.0 to exploration_final_eps.
        assertEquals(new DqnConfig.Exploration.Linear(1.0, 0.1, 12_000), acrobot.exploration());
        assertEquals(new SolveCriterion(Double.NaN, 20, 10_000, false), acrobot.solve());

        DqnConfig mountainCar = bundled.config("MountainCar-v0");
        assertEquals(new DqnConfig.UpdateSchedule.EveryEnvSteps(1_000, 16, 8), mountainCar.updates());
        // exploration_max_repeat 32: exploratory actions held 1-32 steps.
        assertEquals(new DqnConfig.Exploration.Linear(1.0, 0.07, 24_000, 32), mountainCar.exploration());
        assertEquals(0.98, mountainCar.gamma());
    }

    @Test
    void envSettingsCarryKwargsAndTimeLimits() {
        TunedHyperparameters.EnvSettings frozenLake = bundled.envSettings("FrozenLake-v1");
        assertEquals(Map.of("is_slippery", false), frozenLake.kwargs());
        assertEquals(OptionalInt.empty(), frozenLake.maxEpisodeSteps());
        assertEquals(1.0, bundled.config("FrozenLake-v1").solve().threshold());

        TunedHyperparameters.EnvSettings cliff = bundled.envSettings("CliffWalking-v0");
        assertEquals(OptionalInt.of(100), cliff.maxEpisodeSteps());
        assertTrue(cliff.kwargs().isEmpty());

        assertTrue(bundled.envSettings("Acrobot-v1").isEmpty());
    }

    @Test
    void unknownEnvGetsTheDefaults() {
        assertTrue(bundled.find("Pong-v5").isEmpty());
        assertEquals(DqnConfig.defaults(), bundled.config("Pong-v5"));
        assertSame(TunedHyperparameters.EnvSettings.NONE, bundled.envSettings("Pong-v5"));
    }

    @Test
    void keysLeftOutKeepTheDefaults() {
        TunedHyperparameters tuned = parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"learning_rate\": 0.01,"
                + " \"n_timesteps\": 1e5, \"env\": {\"kwargs\": {\"size\": 3, \"scale\": 0.5, \"mode\": \"easy\","
                + " \"walls\": [1, 2]}}}}}");
        DqnConfig expected = DqnConfig.defaults().toBuilder().origin("Tiny-v0").learningRate(0.01).totalSteps(100_000)
                // the default exploration fraction (8,000 of 50,000 steps) is not scaled: only a given fraction is
                .build();
        assertEquals(expected, tuned.config("Tiny-v0"));
        assertEquals(Map.of("size", 3L, "scale", 0.5, "mode", "easy", "walls", List.of(1L, 2L)),
                tuned.envSettings("Tiny-v0").kwargs());
    }

    @Test
    void tauBelowOneBlendsTheTarget() {
        TunedHyperparameters tuned = parse("{\"envs\": {\"Soft-v0\": {\"source\": \"test\", \"tau\": 0.005,"
                + " \"target_update_interval\": 4}, \"Hard-v0\": {\"source\": \"test\", \"tau\": 1.0,"
                + " \"target_update_interval\": 100}}}");
        assertEquals(new DqnConfig.TargetNetwork.Polyak(0.005, 4), tuned.config("Soft-v0").targetNetwork());
        assertEquals(new DqnConfig.TargetNetwork.Hard(100), tuned.config("Hard-v0").targetNetwork());
        assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Soft-v0\": {\"source\": \"test\", \"tau\": 0.5}}}"));
    }

    @Test
    void aTypoIsRefusedNamingTheEnvAndKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"learnig_rate\": 0.01}}}"));
        assertTrue(error.getMessage().startsWith("entry Tiny-v0 in test.json has unknown key 'learnig_rate'"),
                error.getMessage());
    }

    @Test
    void invalidValuesAreRefusedWithTheConfigsOwnMessage() {
        IllegalArgumentException tooBigBatch = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"batch_size\": 512, \"buffer_size\": 100}}}"));
        assertEquals("entry Tiny-v0 in test.json is invalid: batchSize must be in 1..bufferSize (100), got 512",
                tooBigBatch.getMessage());

        IllegalArgumentException fractionalSteps = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"n_timesteps\": 1.5}}}"));
        assertEquals("entry Tiny-v0 in test.json has n_timesteps 1.5, which must be a whole number",
                fractionalSteps.getMessage());

        IllegalArgumentException badTarget = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"target_update_interval\": 0}}}"));
        assertTrue(badTarget.getMessage().startsWith("entry Tiny-v0 in test.json is invalid: target intervalSteps"),
                badTarget.getMessage());

        IllegalArgumentException earlyStart = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"learning_starts\": 0}}}"));
        assertEquals("entry Tiny-v0 in test.json has learning_starts 0 below batch_size 64: the agent needs a full"
                + " batch stored before its first update", earlyStart.getMessage());

        IllegalArgumentException badFraction = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"exploration_fraction\": 0}}}"));
        assertTrue(badFraction.getMessage().contains("exploration_fraction 0.0"), badFraction.getMessage());

        IllegalArgumentException noRepeat = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"source\": \"test\", \"exploration_max_repeat\": 0}}}"));
        assertEquals("entry Tiny-v0 in test.json is invalid: maxActionRepeat must be at least 1 (1: a new choice every"
                + " step), got 0", noRepeat.getMessage());
    }

    @Test
    void anEntryNeedsASource() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v0\": {\"gamma\": 0.9}}}"));
        assertTrue(error.getMessage().contains("needs a \"source\""), error.getMessage());
    }

    @Test
    void twoEntriesForOneIdAreRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"envs\": {\"Tiny-v1\": {\"source\": \"a\", \"also_for\": [\"Tiny-v0\"]},"
                        + " \"Tiny-v0\": {\"source\": \"b\"}}}"));
        assertEquals("test.json has two entries for Tiny-v0", error.getMessage());
    }

    @Test
    void aFileWithoutPresetsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> parse("{\"CartPole-v1\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> parse("not json"));
    }

    private static TunedHyperparameters parse(String json) {
        return TunedHyperparameters.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }
}
