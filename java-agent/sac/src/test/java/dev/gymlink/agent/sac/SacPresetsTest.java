package dev.gymlink.agent.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SacPresetsTest {

    private static SacPresets parse(String envs) {
        return SacPresets.parse(("{\"envs\": {" + envs + "}}").getBytes(StandardCharsets.UTF_8), "test.json");
    }

    @Test
    void thePendulumPresetIsTheZoosWithSmallerNetworks() {
        SacConfig pendulum = SacPresets.bundled().config("Pendulum-v1");
        assertEquals("Pendulum-v1", pendulum.origin());
        assertEquals(20_000, pendulum.totalSteps());
        assertEquals(1e-3, pendulum.learningRate());
        assertEquals(List.of(64, 64), pendulum.hiddenSizes());
        assertEquals(256, pendulum.batchSize());
        assertEquals(-200, pendulum.solve().threshold());
        assertTrue(pendulum.entropy().learned());
        assertEquals(SacConfig.defaults(), SacPresets.bundled().config("BipedalWalker-v3"));
    }

    @Test
    void theMujocoPresetsAreTheZoosWithItsNetworks() {
        for (String envId : List.of("HalfCheetah-v5", "Hopper-v5", "Walker2d-v5")) {
            SacConfig mujoco = SacPresets.bundled().config(envId);
            assertEquals(envId, mujoco.origin());
            assertEquals(List.of(256, 256), mujoco.hiddenSizes(), envId);
            assertEquals(10_000, mujoco.learningStarts(), envId);
            assertEquals(1_000_000, mujoco.bufferSize(), envId);
            assertEquals(1_000_000, mujoco.totalSteps(), envId);
            assertEquals(SacConfig.defaults().learningRate(), mujoco.learningRate(), envId);
            assertTrue(mujoco.entropy().learned(), envId);
        }
    }

    @Test
    void theMountainCarContinuousPresetIsTheZoosWithGsde() {
        SacConfig car = SacPresets.bundled().config("MountainCarContinuous-v0");
        assertEquals(SacConfig.StateDependentNoise.on(-3.67, -1), car.sde());
        assertEquals(SacConfig.Entropy.fixed(0.1), car.entropy());
        assertEquals(0.9999, car.gamma());
        assertEquals(512, car.batchSize());
        assertEquals(32, car.trainFrequency());
        assertEquals(32, car.gradientSteps());
        assertEquals(0, car.learningStarts());
        assertEquals(50_000, car.totalSteps());
        SacConfig sampled = parse("\"X-v0\": {\"source\": \"s\", \"use_sde\": true, \"sde_sample_freq\": 4}")
                .config("X-v0");
        assertEquals(SacConfig.StateDependentNoise.on(-3, 4), sampled.sde());
        IllegalArgumentException badFrequency = assertThrows(IllegalArgumentException.class,
                () -> parse("\"X-v0\": {\"source\": \"s\", \"use_sde\": true, \"sde_sample_freq\": 0}"));
        assertTrue(badFrequency.getMessage().contains("sampleFrequency"), badFrequency.getMessage());
    }

    @Test
    void zooKeysMapOntoTheConfig() {
        SacConfig config = parse("\"X-v0\": {\"source\": \"s\", \"ent_coef\": \"auto_0.1\", \"target_entropy\": -3,"
                + " \"train_freq\": 8, \"gradient_steps\": 8, \"tau\": 0.01, \"gamma\": 0.98, \"buffer_size\": 1000,"
                + " \"learning_starts\": 500, \"n_envs\": 2, \"net_arch\": [32]}").config("X-v0");
        assertEquals(new SacConfig.Entropy(0.1, true, -3), config.entropy());
        assertEquals(8, config.trainFrequency());
        assertEquals(8, config.gradientSteps());
        assertEquals(0.01, config.tau());
        assertEquals(0.98, config.gamma());
        assertEquals(1000, config.bufferSize());
        assertEquals(500, config.learningStarts());
        assertEquals(2, config.numEnvs());
        assertEquals(List.of(32), config.hiddenSizes());
        SacConfig fixed = parse("\"X-v0\": {\"source\": \"s\", \"ent_coef\": 0.2}").config("X-v0");
        assertFalse(fixed.entropy().learned());
        assertEquals(0.2, fixed.entropy().initial());
    }

    @Test
    void typosMissingSourcesAndBadValuesAreRefusedNamingTheEntry() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> parse("\"X-v0\": {\"source\": \"s\", \"learning_rte\": 1}"));
        assertTrue(typo.getMessage().contains("X-v0") && typo.getMessage().contains("learning_rte"),
                typo.getMessage());
        IllegalArgumentException noSource = assertThrows(IllegalArgumentException.class,
                () -> parse("\"X-v0\": {\"learning_rate\": 1e-3}"));
        assertTrue(noSource.getMessage().contains("source"), noSource.getMessage());
        IllegalArgumentException badCoefficient = assertThrows(IllegalArgumentException.class,
                () -> parse("\"X-v0\": {\"source\": \"s\", \"ent_coef\": \"automatic\"}"));
        assertTrue(badCoefficient.getMessage().contains("ent_coef"), badCoefficient.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> parse("\"X-v0\": {\"source\": \"s\", \"tau\": 2}"));
        assertTrue(badValue.getMessage().contains("X-v0") && badValue.getMessage().contains("tau"),
                badValue.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SacPresets.parse("[]".getBytes(StandardCharsets.UTF_8), "x"));
    }

    @Test
    void errorsReadLikeTheDqnTuningFilesErrors() {
        assertEquals("entry X-v0 in test.json has unknown key 'learning_rte'; known keys: "
                + new java.util.TreeSet<>(List.of("source", "n_timesteps", "learning_rate", "batch_size", "buffer_size",
                        "learning_starts", "gamma", "tau", "train_freq", "gradient_steps", "ent_coef", "target_entropy",
                        "net_arch", "use_sde", "sde_sample_freq", "log_std_init", "n_envs", "eval_episodes", "eval_every_steps", "solve_threshold", "stop_when_solved")),
                assertThrows(IllegalArgumentException.class,
                        () -> parse("\"X-v0\": {\"source\": \"s\", \"learning_rte\": 1}")).getMessage());
        assertEquals("entry X-v0 in test.json has batch_size 2.5, which must be a whole number",
                assertThrows(IllegalArgumentException.class,
                        () -> parse("\"X-v0\": {\"source\": \"s\", \"batch_size\": 2.5}")).getMessage());
        assertEquals("entry X-v0 in test.json has ent_coef \"automatic\", which must be \"auto\", \"auto_<initial>\""
                + " or a number", assertThrows(IllegalArgumentException.class,
                        () -> parse("\"X-v0\": {\"source\": \"s\", \"ent_coef\": \"automatic\"}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> parse("\"X-v0\": {\"source\": \"s\", \"tau\": 2}")).getMessage()
                .startsWith("entry X-v0 in test.json is invalid: "));
        assertEquals("test.json needs an \"envs\" object mapping env ids to entries",
                assertThrows(IllegalArgumentException.class,
                        () -> SacPresets.parse("{}".getBytes(StandardCharsets.UTF_8), "test.json")).getMessage());
    }

    @Test
    void configValidationNamesTheBadValue() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SacConfig.defaults().toBuilder().batchSize(0).build());
        assertEquals("batchSize must be positive, got 0", error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SacConfig.defaults().toBuilder().hiddenSizes(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> SacConfig.Entropy.fixed(0));
    }
}
