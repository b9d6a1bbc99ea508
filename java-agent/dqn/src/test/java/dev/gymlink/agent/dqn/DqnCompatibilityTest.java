package dev.gymlink.agent.dqn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.Space;
import dev.gymlink.env.Graph;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DqnCompatibilityTest {

    private static final Discrete TWO_ACTIONS = new Discrete(2);
    private static final Box CART_POLE_OBSERVATION = Box.uniform(-5, 5, new int[] {4}, DType.FLOAT32);

    @Test
    void continuousActionsAreRefusedWithTheEnvAndItsSpace() {
        Box pendulumActions = Box.uniform(-2, 2, new int[] {1}, DType.FLOAT32);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DqnCompatibility.require("Pendulum-v1", Box.uniform(-8, 8, new int[] {3}, DType.FLOAT32),
                        pendulumActions));
        assertEquals("DQN needs a Discrete action space; Pendulum-v1 has Box(-2.0, 2.0, (1,), float32)",
                error.getMessage());
    }

    @Test
    void multiDiscreteActionsAreRefused() {
        Optional<String> problem = DqnCompatibility.problem("Grid-v0", CART_POLE_OBSERVATION, MultiDiscrete.of(3, 3));
        assertEquals(Optional.of("DQN needs a Discrete action space; Grid-v0 has MultiDiscrete([3 3])"), problem);
    }

    @Test
    void everyFlattenableObservationIsAccepted() {
        Map<String, Space> mixed = new LinkedHashMap<>();
        mixed.put("position", Box.uniform(0, 1, new int[] {2, 3}, DType.FLOAT64));
        mixed.put("cell", new Discrete(16));
        mixed.put("flags", MultiBinary.of(4));
        mixed.put("nested", Tuple.of(MultiDiscrete.of(2, 5), new Discrete(3, 1)));
        Space[] accepted = {
            CART_POLE_OBSERVATION,
            Box.uniform(0, 255, new int[] {8, 8, 3}, DType.UINT8),
            new Discrete(500),
            MultiDiscrete.of(4, 4),
            MultiBinary.of(7),
            Tuple.of(new Discrete(32), new Discrete(11), new Discrete(2)),
            new Dict(mixed),
        };
        for (Space observation : accepted) {
            assertEquals(Optional.empty(), DqnCompatibility.problem("Env-v0", observation, TWO_ACTIONS),
                    observation.toString());
            assertDoesNotThrow(() -> DqnCompatibility.require("Env-v0", observation, TWO_ACTIONS));
        }
    }

    @Test
    void textObservationIsRefused() {
        Text text = new Text(1, 8, "abc");
        String message = DqnCompatibility.problem("Words-v0", text, TWO_ACTIONS).orElseThrow();
        assertTrue(message.startsWith("DQN needs an observation that flattens to a vector"), message);
        assertTrue(message.endsWith("; Words-v0 has " + text + ", which has no fixed-size vector encoding"), message);
    }

    @Test
    void graphAndSequenceObservationsAreRefusedAndAOneOfOfVectorsIsNot() {
        Graph graph = new Graph(Box.uniform(-1, 1, new int[] {3}, DType.FLOAT32), new Discrete(2));
        Sequence sequence = new Sequence(new Discrete(5), false);
        for (Space space : new Space[] {graph, sequence}) {
            String message = DqnCompatibility.problem("Varying-v0", space, TWO_ACTIONS).orElseThrow();
            assertTrue(message.endsWith("; Varying-v0 has " + space + ", which has no fixed-size vector encoding"),
                    message);
        }
        OneOf vectors = new OneOf(java.util.List.of(new Discrete(3), CART_POLE_OBSERVATION));
        assertEquals(Optional.empty(), DqnCompatibility.problem("Choice-v0", vectors, TWO_ACTIONS));
        OneOf withSequence = new OneOf(java.util.List.of(new Discrete(3), sequence));
        String message = DqnCompatibility.problem("Choice-v0", withSequence, TWO_ACTIONS).orElseThrow();
        assertTrue(message.endsWith(", whose component <choice 1> is " + sequence
                + ", which has no fixed-size vector encoding"), message);
    }

    @Test
    void textNestedInADictIsNamedByItsPath() {
        Map<String, Space> entries = new LinkedHashMap<>();
        entries.put("image", Box.uniform(0, 255, new int[] {7, 7, 3}, DType.UINT8));
        entries.put("extra", Tuple.of(new Discrete(4), new Text(0, 20, "xyz")));
        Dict observation = new Dict(entries);
        String message = DqnCompatibility.problem("MiniGrid-v0", observation, new Discrete(7)).orElseThrow();
        assertTrue(message.contains("MiniGrid-v0 has " + observation + ", whose component ['extra'][1] is "
                + new Text(0, 20, "xyz") + ", which has no fixed-size vector encoding"), message);
        assertThrows(IllegalArgumentException.class,
                () -> DqnCompatibility.require("MiniGrid-v0", observation, new Discrete(7)));
    }

    @Test
    void emptyObservationIsRefused() {
        Tuple empty = Tuple.of();
        String message = DqnCompatibility.problem("Empty-v0", empty, TWO_ACTIONS).orElseThrow();
        assertTrue(message.contains("flattens to an empty vector"), message);
    }

    @Test
    void oversizedOneHotIsRefusedInsteadOfOverflowing() {
        MultiDiscrete huge = MultiDiscrete.of(Integer.MAX_VALUE, Integer.MAX_VALUE);
        String message = DqnCompatibility.problem("Huge-v0", huge, TWO_ACTIONS).orElseThrow();
        assertTrue(message.startsWith("DQN cannot encode the observation of Huge-v0 as a vector"), message);
    }
}
