package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gymlink.agent.run.SolveCriterion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DqnConfigOverridesTest {

    private static Map<String, String> settings(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int k = 0; k < keyValues.length; k += 2) {
            map.put(keyValues[k], keyValues[k + 1]);
        }
        return map;
    }

    @Test
    void everyFieldOfTheConfigIsAKey() {
        List<String> keys = DqnConfigOverrides.keys(DqnConfig.defaults());
        for (var component : DqnConfig.class.getRecordComponents()) {
            assertTrue(keys.contains(component.getName()), component.getName() + " in " + keys);
        }
        assertTrue(keys.containsAll(List.of("exploration.start", "exploration.end", "exploration.decaySteps",
                "updates.learningStarts", "updates.trainFrequency", "updates.gradientSteps",
                "targetNetwork.intervalSteps", "solve.threshold", "solve.evalEpisodes", "solve.evalEverySteps",
                "solve.stopWhenSolved")), keys.toString());
    }

    @Test
    void valuesAreParsedInTheFormOfTheFieldTheyReplace() {
        DqnConfig config = DqnConfigOverrides.apply(DqnConfig.defaults(), settings(
                "learningRate", "1e-3", "hiddenSizes", "128,128", "backend", "java", "doubleDqn", "false",
                "bufferSize", "1e5", "maxGradNorm", "inf", "exploration.decaySteps", "20000",
                "solve.threshold", "-110", "solve.evalEpisodes", "100", "seed", "7"));
        DqnConfig expected = DqnConfig.defaults().toBuilder()
                .learningRate(1e-3).hiddenSizes(List.of(128, 128)).backend(NetworkBackend.JAVA).doubleDqn(false)
                .bufferSize(100_000).maxGradNorm(Double.POSITIVE_INFINITY)
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.04, 20_000))
                .solve(new SolveCriterion(-110, 100, 2_500, true)).seed(7).build();
        assertEquals(expected, config);
    }

    @Test
    void aNestedFieldTakesAWholeObjectToSwitchItsVariant() {
        DqnConfig config = DqnConfigOverrides.apply(DqnConfig.defaults(), settings(
                "targetNetwork", "{\"@type\": \"Polyak\", \"tau\": 0.005, \"intervalSteps\": 1}",
                "targetNetwork.tau", "0.01"));
        assertEquals(new DqnConfig.TargetNetwork.Polyak(0.01, 1), config.targetNetwork());
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedWithTheValidKeys() {
        for (Map<String, String> bad : List.of(settings("learningrate", "1e-3"), settings("exploration.tau", "1"),
                settings("exploration.@type", "Linear"), settings("learningRate", "fast"),
                settings("hiddenSizes", "64,x"), settings("bufferSize", "1.5"), settings("doubleDqn", "yes"),
                settings("targetNetwork", "Polyak"), settings("backend", "gpu"), settings("gamma", "2"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DqnConfigOverrides.apply(DqnConfig.defaults(), bad), bad.toString());
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key), e.getMessage());
            assertTrue(e.getMessage().contains("valid keys: origin, hiddenSizes, "), e.getMessage());
        }
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> DqnConfigOverrides.apply(DqnConfig.defaults(), settings("gamma", "2")));
        assertTrue(range.getMessage().contains("gamma must be in [0, 1], got 2.0"), range.getMessage());
    }

    @Test
    void aConfigJsonObjectMergesOverThePresetWholeOrInPart() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DqnConfig tuned = DqnConfig.defaults().toBuilder().learningRate(5e-4).numEnvs(2).seed(3)
                .exploration(new DqnConfig.Exploration.Linear(0.9, 0.1, 1_000)).build();
        assertEquals(tuned, DqnConfigOverrides.merge(DqnConfig.tutorial(), json.valueToTree(tuned), "run.json"),
                "a whole config is taken as it is");
        DqnConfig partial = DqnConfigOverrides.merge(DqnConfig.defaults(),
                json.readTree("{\"learningRate\": 5e-4, \"exploration\": {\"end\": 0.1}}"), "part.json");
        assertEquals(DqnConfig.defaults().toBuilder().learningRate(5e-4)
                .exploration(new DqnConfig.Exploration.Linear(1.0, 0.1, 8_000)).build(), partial);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DqnConfigOverrides.merge(DqnConfig.defaults(), json.readTree("{\"lr\": 1}"), "typo.json"));
        assertTrue(unknown.getMessage().startsWith("typo.json: unknown DQN setting 'lr'; valid keys: origin, "),
                unknown.getMessage());
    }
}
