package dev.gymlink.env;

import java.util.Objects;

/**
 * An element of a {@link Graph} (Gymnasium's {@code GraphInstance}): node features, and optionally
 * edge features with the pairs of nodes each edge links.
 *
 * @param nodes one row per node: {@code [numNodes, *shape]} of a Box node space's dtype, or int64
 *     {@code [numNodes]} for a Discrete one
 * @param edges one row per edge, laid out as {@code nodes} are; null when the graph has no edges
 * @param edgeLinks int64 {@code [numEdges, 2]}: the indices of the two nodes each edge links; null
 *     exactly when {@code edges} is
 */
public record GraphInstance(Tensor nodes, Tensor edges, Tensor edgeLinks) {

    public GraphInstance {
        Objects.requireNonNull(nodes, "nodes");
        if ((edges == null) != (edgeLinks == null)) {
            throw new IllegalArgumentException("a GraphInstance has edges and edgeLinks together or neither, got "
                    + (edges == null ? "edgeLinks" : "edges") + " alone");
        }
    }

    /** A graph of nodes only. */
    public static GraphInstance ofNodes(Tensor nodes) {
        return new GraphInstance(nodes, null, null);
    }

    public boolean hasEdges() {
        return edges != null;
    }

    @Override
    public String toString() {
        return "GraphInstance(nodes=" + nodes + ", edges=" + (edges == null ? "None" : edges)
                + ", edge_links=" + (edgeLinks == null ? "None" : edgeLinks) + ")";
    }
}
