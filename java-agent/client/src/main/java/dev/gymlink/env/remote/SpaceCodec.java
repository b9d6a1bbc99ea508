package dev.gymlink.env.remote;

import dev.gymlink.env.Box;
import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Graph;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Space;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import dev.gymlink.proto.v1.BoxSpace;
import dev.gymlink.proto.v1.DictSpace;
import dev.gymlink.proto.v1.DictSpaceEntry;
import dev.gymlink.proto.v1.MultiDiscreteSpace;
import dev.gymlink.proto.v1.TextSpace;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Spaces from the server ({@code gymlink.v1.Space}) as {@link Space} records. */
final class SpaceCodec {

    private SpaceCodec() {}

    static Space fromProto(dev.gymlink.proto.v1.Space space) {
        return switch (space.getKindCase()) {
            case BOX -> boxFromProto(space.getBox());
            case DISCRETE -> new Discrete(space.getDiscrete().getN(), space.getDiscrete().getStart());
            case MULTI_DISCRETE -> multiDiscreteFromProto(space.getMultiDiscrete());
            case MULTI_BINARY -> new MultiBinary(TensorCodec.shapeFromProto(space.getMultiBinary().getShapeList(), "MultiBinary"));
            case TUPLE -> new Tuple(space.getTuple().getSpacesList().stream().map(SpaceCodec::fromProto).toList());
            case DICT -> dictSpaceFromProto(space.getDict());
            case TEXT -> textFromProto(space.getText());
            case GRAPH -> new Graph(fromProto(space.getGraph().getNodeSpace()),
                    space.getGraph().hasEdgeSpace() ? fromProto(space.getGraph().getEdgeSpace()) : null);
            case SEQUENCE -> new Sequence(fromProto(space.getSequence().getFeatureSpace()), space.getSequence().getStack());
            case ONE_OF -> new OneOf(space.getOneOf().getSpacesList().stream().map(SpaceCodec::fromProto).toList());
            case KIND_NOT_SET -> throw new IllegalArgumentException("space without a kind");
        };
    }

    private static Box boxFromProto(BoxSpace box) {
        int[] shape = TensorCodec.shapeFromProto(box.getShapeList(), "Box");
        Tensor low = TensorCodec.fromProto(box.getLow());
        Tensor high = TensorCodec.fromProto(box.getHigh());
        if (!Arrays.equals(low.shape(), shape) || !Arrays.equals(high.shape(), shape)) {
            throw new IllegalArgumentException("Box of shape " + PythonRepr.shapeString(shape) + " has bounds of shape "
                    + PythonRepr.shapeString(low.shape()) + " and " + PythonRepr.shapeString(high.shape()));
        }
        return new Box(shape, TensorCodec.fromProto(box.getDtype()), low.data(), high.data());
    }

    private static MultiDiscrete multiDiscreteFromProto(MultiDiscreteSpace space) {
        Tensor nvec = TensorCodec.fromProto(space.getNvec());
        Tensor start = TensorCodec.fromProto(space.getStart());
        if (!Arrays.equals(nvec.shape(), start.shape())) {
            throw new IllegalArgumentException("MultiDiscrete nvec of shape " + PythonRepr.shapeString(nvec.shape())
                    + " but start of shape " + PythonRepr.shapeString(start.shape()));
        }
        return new MultiDiscrete(nvec.shape(), toLongs(nvec.data()), toLongs(start.data()));
    }

    private static Dict dictSpaceFromProto(DictSpace dict) {
        Map<String, Space> spaces = new LinkedHashMap<>();
        for (DictSpaceEntry entry : dict.getEntriesList()) {
            if (spaces.put(entry.getKey(), fromProto(entry.getSpace())) != null) {
                throw new IllegalArgumentException("Dict space repeats key '" + entry.getKey() + "'");
            }
        }
        return new Dict(spaces);
    }

    private static Text textFromProto(TextSpace text) {
        return new Text(Math.toIntExact(text.getMinLength()), Math.toIntExact(text.getMaxLength()), text.getCharset());
    }

    private static long[] toLongs(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }
}
