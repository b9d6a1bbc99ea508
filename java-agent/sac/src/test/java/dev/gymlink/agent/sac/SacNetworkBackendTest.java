package dev.gymlink.agent.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gymlink.agent.dqn.DqnConfigOverrides;
import dev.gymlink.agent.dqn.nd4j.Nd4jDenseNetwork;
import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SAC on the ND4J network backend (gymlink-dqn-nd4j, on this module's test class path) against the
 * Java backend: the same gradient steps to float tolerance, with and without gSDE; a state saved on
 * one backend restores on the other; how the config names and resolves the backend.
 */
class SacNetworkBackendTest {

    private static final int OBSERVATIONS = 5;
    private static final Box ACTIONS = new Box(new int[] {3}, DType.FLOAT32, new double[] {-1, -2, 0},
            new double[] {1, 2, 3});
    private static final int STEPS = 6;

    private static SacConfig config(NetworkBackend backend, boolean sde) {
        SacConfig.Builder builder = SacConfig.defaults().toBuilder().hiddenSizes(List.of(32, 24)).backend(backend)
                .batchSize(64).learningStarts(0).learningRate(1e-3).seed(4);
        if (sde) {
            builder.sde(SacConfig.StateDependentNoise.on(-2, -1));
        }
        return builder.build();
    }

    /** An agent with 500 random transitions, the same for every backend. */
    private static SacAgent agent(NetworkBackend backend, boolean sde) {
        SacAgent agent = SacAgent.create(config(backend, sde), OBSERVATIONS, ACTIONS);
        SplittableRandom rng = new SplittableRandom(11);
        float[] observation = new float[OBSERVATIONS];
        float[] next = new float[OBSERVATIONS];
        float[] action = new float[ACTIONS.size()];
        for (int t = 0; t < 500; t++) {
            fill(rng, observation);
            fill(rng, next);
            fill(rng, action);
            agent.remember(observation, 0, action, 0, (float) rng.nextGaussian(), next, 0, rng.nextInt(20) == 0);
        }
        return agent;
    }

    private static void fill(SplittableRandom rng, float[] values) {
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) rng.nextDouble(-1, 1);
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tolerance * Math.max(1, Math.abs(expected[k])), what + " [" + k + "]");
        }
    }

    private static float[] greedy(SacAgent agent, float[] observations, int count) {
        float[] actions = new float[count * ACTIONS.size()];
        agent.greedy(observations, count, actions);
        return actions;
    }

    @ParameterizedTest(name = "gSDE {0}")
    @ValueSource(booleans = {false, true})
    void nd4jTakesTheSameGradientStepsAsJava(boolean sde) {
        SacAgent java = agent(NetworkBackend.JAVA, sde);
        SacAgent nd4j = agent(NetworkBackend.ND4J, sde);
        assertTrue(java.actor() instanceof DenseNetwork, java.actor().getClass().getName());
        assertTrue(nd4j.actor() instanceof Nd4jDenseNetwork, nd4j.actor().getClass().getName());
        assertArrayEquals(java.actor().parameters(), nd4j.actor().parameters(), "same initial parameters");
        for (int step = 0; step < STEPS; step++) {
            double javaLoss = java.learn();
            double nd4jLoss = nd4j.learn();
            assertEquals(javaLoss, nd4jLoss, 1e-4 * Math.abs(javaLoss), "critic loss at step " + step);
        }
        assertClose(java.actor().parameters(), nd4j.actor().parameters(), 1e-4, "actor");
        assertClose(java.critic1().parameters(), nd4j.critic1().parameters(), 1e-4, "critic 1");
        assertClose(java.critic2().parameters(), nd4j.critic2().parameters(), 1e-4, "critic 2");
        assertEquals(java.alpha(), nd4j.alpha(), 1e-6, "alpha");
        if (sde) {
            assertClose(java.logStd().values(), nd4j.logStd().values(), 1e-4, "gSDE log std");
        }
        float[] observations = new float[4 * OBSERVATIONS];
        fill(new SplittableRandom(3), observations);
        assertClose(greedy(java, observations, 4), greedy(nd4j, observations, 4), 1e-4, "greedy actions");
        SacAgent.State javaState = java.state();
        SacAgent.State nd4jState = nd4j.state();
        for (int k = 0; k < javaState.parameters().size(); k++) {
            assertClose(javaState.parameters().get(k), nd4jState.parameters().get(k), 1e-4, "state vector " + k);
        }
        for (int k = 0; k < javaState.adam().size(); k++) {
            assertEquals(javaState.adam().get(k).step(), nd4jState.adam().get(k).step());
            assertClose(javaState.adam().get(k).secondMoment(), nd4jState.adam().get(k).secondMoment(), 1e-3,
                    "Adam second moment " + k);
        }
    }

    @Test
    void aStateSavedOnOneBackendRestoresOnTheOther() {
        SacAgent nd4j = agent(NetworkBackend.ND4J, false);
        for (int step = 0; step < 3; step++) {
            nd4j.learn();
        }
        SacAgent.State saved = nd4j.state();
        SacAgent onJava = SacAgent.restore(config(NetworkBackend.JAVA, false), OBSERVATIONS, ACTIONS, saved);
        SacAgent onNd4j = SacAgent.restore(config(NetworkBackend.ND4J, false), OBSERVATIONS, ACTIONS, saved);
        assertTrue(onJava.actor() instanceof DenseNetwork);
        for (int k = 0; k < saved.parameters().size(); k++) {
            assertArrayEquals(saved.parameters().get(k), onJava.state().parameters().get(k), "vector " + k);
        }
        assertArrayEquals(saved.adam().get(0).firstMoment(), onJava.state().adam().get(0).firstMoment());
        double javaLoss = onJava.learn();
        double nd4jLoss = onNd4j.learn();
        assertEquals(nd4jLoss, javaLoss, 1e-4 * Math.abs(nd4jLoss));
        assertClose(onNd4j.actor().parameters(), onJava.actor().parameters(), 1e-4, "actor a step after restoring");
    }

    @Test
    void closingAnAgentOnNd4jReleasesEveryNetworksNativeArrays() {
        SacAgent agent = agent(NetworkBackend.ND4J, false);
        agent.learn();
        agent.close();
        assertEquals(5, agent.networks().size());
        for (var network : agent.networks()) {
            assertTrue(network instanceof Nd4jDenseNetwork);
            assertThrows(IllegalStateException.class, network::parameters, "the native arrays are released");
        }
    }

    @Test
    void autoPicksNd4jOnlyForWideNetworksAndLargeBatches() {
        SacConfig defaults = SacConfig.defaults();
        assertEquals(NetworkBackend.AUTO, defaults.backend());
        assertEquals(NetworkBackend.JAVA, defaults.resolvedBackend(), "64-64");
        int wide = NetworkBackend.ND4J_FROM_HIDDEN_WIDTH;
        int batch = NetworkBackend.ND4J_FROM_BATCH_SIZE;
        assertEquals(NetworkBackend.ND4J,
                defaults.toBuilder().hiddenSizes(List.of(wide, wide)).batchSize(batch).build().resolvedBackend());
        assertEquals(NetworkBackend.ND4J, defaults.toBuilder().hiddenSizes(List.of(256, 256)).build().resolvedBackend(),
                "the zoo's MuJoCo networks at SB3's batch");
        assertEquals(NetworkBackend.ND4J,
                defaults.toBuilder().hiddenSizes(List.of(400, 300)).batchSize(batch).build().resolvedBackend());
        assertEquals(NetworkBackend.JAVA, defaults.toBuilder().hiddenSizes(List.of(wide - 1, wide - 1))
                .batchSize(batch).build().resolvedBackend());
        assertEquals(NetworkBackend.JAVA,
                defaults.toBuilder().hiddenSizes(List.of(wide, wide)).batchSize(batch - 1).build().resolvedBackend());
        assertEquals(NetworkBackend.JAVA, defaults.toBuilder().hiddenSizes(List.of(wide, wide)).batchSize(batch)
                .backend(NetworkBackend.JAVA).build().resolvedBackend());
        assertEquals(NetworkBackend.ND4J, defaults.toBuilder().backend(NetworkBackend.ND4J).build().resolvedBackend());
        assertTrue(defaults.summary().contains("backend AUTO (JAVA)"), defaults.summary());
        assertTrue(defaults.toBuilder().backend(NetworkBackend.ND4J).build().summary().contains("backend ND4J,"));
    }

    @Test
    void theBackendIsSetLikeAnyKeyAndOldRunDirectoriesReadAsJava() throws Exception {
        assertEquals(NetworkBackend.ND4J,
                DqnConfigOverrides.apply(SacConfig.defaults(), Map.of("backend", "nd4j")).backend());
        assertEquals(NetworkBackend.JAVA,
                DqnConfigOverrides.apply(SacConfig.defaults(), Map.of("backend", "Java")).backend());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DqnConfigOverrides.apply(SacConfig.defaults(), Map.of("backend", "cuda")));
        assertTrue(refused.getMessage().contains("cuda"), refused.getMessage());

        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ObjectNode written = json.valueToTree(SacConfig.defaults().toBuilder().backend(NetworkBackend.ND4J).build());
        assertEquals("ND4J", written.get("backend").textValue());
        assertEquals(NetworkBackend.ND4J, json.treeToValue(written, SacConfig.class).backend());
        written.remove("backend");
        assertEquals(NetworkBackend.JAVA, json.treeToValue(written, SacConfig.class).backend(),
                "a config.json from before the field ran on Java");
    }
}
