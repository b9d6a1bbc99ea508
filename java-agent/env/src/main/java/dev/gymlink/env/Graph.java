package dev.gymlink.env;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.Graph: any number of nodes whose features lie in {@code nodeSpace}, and of
 * edges between them whose features lie in {@code edgeSpace}; elements are {@link GraphInstance}s.
 * Feature spaces are Box or Discrete, as Gymnasium declares them.
 *
 * <p>A graph has no fixed-size vector encoding (Gymnasium's {@code flatdim} refuses it too), so
 * {@link #flatDim} and {@link #flattenInto} throw: an agent that needs vectors must embed the graph
 * itself.
 *
 * @param nodeSpace space of one node's features, a Box or a Discrete
 * @param edgeSpace space of one edge's features, a Box or a Discrete; null for graphs without edges
 */
public record Graph(Space nodeSpace, Space edgeSpace) implements Space {

    /** Nodes in a sample, as in Gymnasium's {@code Graph.sample(num_nodes=10)}. */
    public static final int SAMPLE_NODES = 10;

    public Graph {
        checkFeatureSpace(nodeSpace, "node");
        if (edgeSpace != null) {
            checkFeatureSpace(edgeSpace, "edge");
        }
    }

    /** A graph whose nodes have features and whose edges have none (Gymnasium's edge_space=None). */
    public static Graph ofNodes(Space nodeSpace) {
        return new Graph(nodeSpace, null);
    }

    private static void checkFeatureSpace(Space space, String role) {
        if (!(space instanceof Box || space instanceof Discrete)) {
            throw new IllegalArgumentException("Graph " + role + " features must be a Box or a Discrete, got " + space);
        }
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof GraphInstance graph)) {
            return false;
        }
        int nodes = rowsIn(nodeSpace, graph.nodes());
        if (nodes < 0 || !graph.hasEdges()) {
            return nodes >= 0;
        }
        int edges = edgeSpace == null ? -1 : rowsIn(edgeSpace, graph.edges());
        Tensor links = graph.edgeLinks();
        if (edges < 0 || !links.dtype().isIntegral() || !Arrays.equals(links.shape(), new int[] {edges, 2})) {
            return false;
        }
        return Arrays.stream(links.data()).allMatch(node -> node >= 0 && node < nodes);
    }

    /** The number of rows of {@code features} when every row is an element of {@code space}, else -1. */
    private static int rowsIn(Space space, Tensor features) {
        int[] shape = features.shape();
        if (shape.length == 0) {
            return -1;
        }
        int[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        if (space instanceof Discrete discrete) {
            if (rowShape.length != 0 || !features.dtype().isIntegral()) {
                return -1;
            }
            boolean all = Arrays.stream(features.data()).allMatch(x -> x == Math.rint(x) && discrete.contains((long) x));
            return all ? shape[0] : -1;
        }
        int rowSize = Tensor.sizeOf(rowShape);
        for (int row = 0; row < shape[0]; row++) {
            double[] data = Arrays.copyOfRange(features.data(), row * rowSize, (row + 1) * rowSize);
            if (!space.contains(new Tensor(features.dtype(), rowShape, data))) {
                return -1;
            }
        }
        return shape[0];
    }

    /**
     * Gymnasium's default sample: {@link #SAMPLE_NODES} nodes, a uniform number of edges below
     * {@code nodes * (nodes - 1)}, features drawn from the feature spaces and uniform edge links.
     */
    @Override
    public GraphInstance sample(RandomGenerator rng) {
        int edges = rng.nextInt(SAMPLE_NODES * (SAMPLE_NODES - 1));
        Tensor nodes = sampleRows(nodeSpace, SAMPLE_NODES, rng);
        if (edgeSpace == null || edges == 0) {
            return GraphInstance.ofNodes(nodes);
        }
        Tensor edgeFeatures = sampleRows(edgeSpace, edges, rng);
        double[] links = new double[edges * 2];
        for (int i = 0; i < links.length; i++) {
            links[i] = rng.nextInt(SAMPLE_NODES);
        }
        return new GraphInstance(nodes, edgeFeatures, new Tensor(DType.INT64, new int[] {edges, 2}, links));
    }

    private static Tensor sampleRows(Space space, int rows, RandomGenerator rng) {
        if (space instanceof Discrete discrete) {
            double[] data = new double[rows];
            for (int i = 0; i < rows; i++) {
                data[i] = discrete.sample(rng);
            }
            return new Tensor(DType.INT64, new int[] {rows}, data);
        }
        Box box = (Box) space;
        double[] data = new double[rows * box.size()];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(box.sample(rng).data(), 0, data, i * box.size(), box.size());
        }
        int[] shape = new int[box.shape().length + 1];
        shape[0] = rows;
        System.arraycopy(box.shape(), 0, shape, 1, box.shape().length);
        return new Tensor(box.dtype(), shape, data);
    }

    @Override
    public int flatDim() {
        throw Unflattenable.refusal(this, "its numbers of nodes and edges vary from element to element");
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        throw Unflattenable.refusal(this, "its numbers of nodes and edges vary from element to element");
    }

    @Override
    public String toString() {
        return "Graph(" + nodeSpace + ", " + (edgeSpace == null ? "None" : edgeSpace) + ")";
    }
}
