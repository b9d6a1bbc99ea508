package dev.gymlink.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.OneOf.Choice;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Graph, Sequence and OneOf against Gymnasium 1.4: membership, sampling, flattening (or its refusal), repr. */
class VariableSizeSpacesTest {

    private static final Box UNIT_PAIR = Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32);
    private static final Graph GRAPH = new Graph(UNIT_PAIR, new Discrete(3));

    private static Tensor int64(int[] shape, double... values) {
        return new Tensor(DType.INT64, shape, values);
    }

    private static Tensor nodes(double... pairs) {
        return new Tensor(DType.FLOAT32, new int[] {pairs.length / 2, 2}, pairs);
    }

    @Test
    void reprsMatchGymnasium() {
        assertEquals("Graph(Box(-1.0, 1.0, (2,), float32), None)", Graph.ofNodes(UNIT_PAIR).toString());
        assertEquals("Graph(Box(-1.0, 1.0, (2,), float32), Discrete(3))", GRAPH.toString());
        assertEquals("Sequence(Discrete(2), stack=True)", new Sequence(new Discrete(2), true).toString());
        assertEquals("OneOf(Discrete(3), Box(-1.0, 1.0, (2,), float32))", OneOf.of(new Discrete(3), UNIT_PAIR).toString());
    }

    @Test
    void graphContainsFeaturesAndLinksWithinTheSpace() {
        Tensor links = int64(new int[] {2, 2}, 0, 1, 1, 1);
        assertTrue(GRAPH.contains(new GraphInstance(nodes(0, 0, 0.5, -1), int64(new int[] {2}, 2, 0), links)));
        assertTrue(GRAPH.contains(GraphInstance.ofNodes(nodes(0, 0))));
        assertTrue(GRAPH.contains(GraphInstance.ofNodes(nodes())), "no nodes at all, as Gymnasium allows");
        assertFalse(GRAPH.contains(GraphInstance.ofNodes(nodes(0, 2))), "node feature outside the Box");
        assertFalse(GRAPH.contains(new GraphInstance(nodes(0, 0, 0, 0), int64(new int[] {2}, 3, 0), links)),
                "edge feature outside the Discrete");
        assertFalse(GRAPH.contains(new GraphInstance(nodes(0, 0), int64(new int[] {2}, 2, 0), links)),
                "a link to node 1 of a single-node graph");
        assertFalse(GRAPH.contains(new GraphInstance(nodes(0, 0, 0, 0), int64(new int[] {1}, 2),
                links)), "two links for one edge");
        assertFalse(Graph.ofNodes(UNIT_PAIR).contains(new GraphInstance(nodes(0, 0), int64(new int[] {1}, 0),
                int64(new int[] {1, 2}, 0, 0))), "edges in a graph without an edge space");
        Graph discreteNodes = Graph.ofNodes(new Discrete(4, 1));
        assertTrue(discreteNodes.contains(GraphInstance.ofNodes(int64(new int[] {3}, 1, 4, 2))));
        assertFalse(discreteNodes.contains(GraphInstance.ofNodes(int64(new int[] {1}, 0))));
        assertFalse(discreteNodes.contains(GraphInstance.ofNodes(Tensor.vector(DType.FLOAT32, 1.5))));
        assertFalse(GRAPH.contains(List.of()));
    }

    @Test
    void graphsRefuseFeatureSpacesGymnasiumDoesNotDeclareAndHalfEdges() {
        var error = assertThrows(IllegalArgumentException.class, () -> Graph.ofNodes(MultiBinary.of(2)));
        assertTrue(error.getMessage().contains("Box or a Discrete, got MultiBinary"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GraphInstance(nodes(0, 0), int64(new int[] {0}), null));
    }

    @Test
    void samplesBelongToTheirSpace() {
        RandomGenerator rng = new SplittableRandom(3);
        List<Space> spaces = List.of(GRAPH, Graph.ofNodes(new Discrete(5)), new Graph(new Discrete(2), UNIT_PAIR),
                new Sequence(Tuple.of(new Discrete(2), new Text(1, 3, "ba"))), new Sequence(UNIT_PAIR, true),
                OneOf.of(new Discrete(3), UNIT_PAIR, new Sequence(new Discrete(2))));
        for (Space space : spaces) {
            for (int i = 0; i < 100; i++) {
                Object sample = space.sample(rng);
                assertTrue(space.contains(sample), () -> PythonRepr.describeValue(sample) + " sampled from " + space);
            }
        }
    }

    @Test
    void sequenceLengthsAreGeometricWithMeanFour() {
        Sequence sequence = new Sequence(new Discrete(2));
        RandomGenerator rng = new SplittableRandom(9);
        double total = 0;
        int shortest = Integer.MAX_VALUE;
        for (int i = 0; i < 4_000; i++) {
            int length = sequence.sample(rng).size();
            total += length;
            shortest = Math.min(shortest, length);
        }
        assertEquals(1, shortest);
        assertEquals(4.0, total / 4_000, 0.25);
        assertTrue(sequence.contains(List.of()) && sequence.contains(List.of(0L, 1L)));
        assertFalse(sequence.contains(List.of(0L, 2L)));
    }

    @Test
    void oneOfContainsAChoiceOfAnIndexAndAnElementOfThatSpace() {
        OneOf oneOf = OneOf.of(new Discrete(3), UNIT_PAIR);
        assertTrue(oneOf.contains(new Choice(0, 2L)));
        assertTrue(oneOf.contains(new Choice(1, Tensor.float32(0, 1))));
        assertFalse(oneOf.contains(new Choice(1, 2L)));
        assertFalse(oneOf.contains(new Choice(2, 0L)));
        assertFalse(oneOf.contains(List.of(0L, 2L)));
        assertEquals("(1, Tensor(float32, (2,), [0.0, 1.0]))", new Choice(1, Tensor.float32(0, 1)).toString());
        assertThrows(IllegalArgumentException.class, () -> new OneOf(List.of()));
    }

    @Test
    void oneOfFlattensAsGymnasiumDoesAndTheOthersRefuseNamingTheSpace() {
        OneOf oneOf = OneOf.of(new Discrete(3), UNIT_PAIR);
        // gymnasium.spaces.utils: flatdim 4; flatten(o, (1, [0.5, -0.25])) == [1, 0.5, -0.25, 0.5]
        // (padded with the first value), flatten(o, (0, 2)) == [0, 0, 0, 1]
        assertEquals(4, oneOf.flatDim());
        assertArrayEquals(new float[] {1, 0.5f, -0.25f, 0.5f}, oneOf.flatten(new Choice(1, Tensor.float32(0.5f, -0.25f))));
        assertArrayEquals(new float[] {0, 0, 0, 1}, oneOf.flatten(new Choice(0, 2L)));
        assertThrows(IllegalArgumentException.class, () -> oneOf.flatten(new Choice(2, 0L)));
        for (Space space : List.of(GRAPH, new Sequence(new Discrete(2)), OneOf.of(new Discrete(2), new Text(1, 2, "a")))) {
            var error = assertThrows(UnsupportedOperationException.class, space::flatDim);
            assertTrue(error.getMessage().contains("has no fixed-size vector encoding"), error.getMessage());
        }
        var error = assertThrows(UnsupportedOperationException.class,
                () -> GRAPH.flatten(GraphInstance.ofNodes(nodes(0, 0))));
        assertTrue(error.getMessage().startsWith(GRAPH.toString()), error.getMessage());
    }
}
