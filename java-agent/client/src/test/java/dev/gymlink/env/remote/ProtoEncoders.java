package dev.gymlink.env.remote;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.Graph;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Space;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import dev.gymlink.proto.v1.BoxSpace;
import dev.gymlink.proto.v1.DictSpace;
import dev.gymlink.proto.v1.DictSpaceEntry;
import dev.gymlink.proto.v1.DiscreteSpace;
import dev.gymlink.proto.v1.Info;
import dev.gymlink.proto.v1.MultiBinarySpace;
import dev.gymlink.proto.v1.MultiDiscreteSpace;
import dev.gymlink.proto.v1.GraphSpace;
import dev.gymlink.proto.v1.OneOfSpace;
import dev.gymlink.proto.v1.SequenceSpace;
import dev.gymlink.proto.v1.TextSpace;
import dev.gymlink.proto.v1.TupleSpace;
import dev.gymlink.proto.v1.Value;
import java.util.Arrays;
import java.util.Map;

/**
 * The server's side of the codecs, for test servers ({@link FakeEnvService}) and round-trip
 * tests: what the Python server encodes, written in Java.
 */
final class ProtoEncoders {

    private ProtoEncoders() {}

    static dev.gymlink.proto.v1.Space toProto(Space space) {
        dev.gymlink.proto.v1.Space.Builder builder = dev.gymlink.proto.v1.Space.newBuilder();
        if (space instanceof Box box) {
            builder.setBox(BoxSpace.newBuilder()
                    .addAllShape(TensorCodec.shapeToProto(box.shape()))
                    .setDtype(TensorCodec.toProto(box.dtype()))
                    .setLow(encodeBound(box, box.low()))
                    .setHigh(encodeBound(box, box.high())));
        } else if (space instanceof Discrete discrete) {
            builder.setDiscrete(DiscreteSpace.newBuilder().setN(discrete.n()).setStart(discrete.start()));
        } else if (space instanceof MultiDiscrete multi) {
            builder.setMultiDiscrete(MultiDiscreteSpace.newBuilder()
                    .setNvec(TensorCodec.encodeTensor(DType.INT64, multi.shape(), toDoubles(multi.nvec())))
                    .setStart(TensorCodec.encodeTensor(DType.INT64, multi.shape(), toDoubles(multi.start()))));
        } else if (space instanceof MultiBinary binary) {
            builder.setMultiBinary(MultiBinarySpace.newBuilder().addAllShape(TensorCodec.shapeToProto(binary.shape())));
        } else if (space instanceof Tuple tuple) {
            builder.setTuple(TupleSpace.newBuilder()
                    .addAllSpaces(tuple.spaces().stream().map(ProtoEncoders::toProto).toList()));
        } else if (space instanceof Dict dict) {
            DictSpace.Builder entries = DictSpace.newBuilder();
            dict.spaces().forEach((key, value) ->
                    entries.addEntries(DictSpaceEntry.newBuilder().setKey(key).setSpace(toProto(value))));
            builder.setDict(entries);
        } else if (space instanceof Text text) {
            builder.setText(TextSpace.newBuilder()
                    .setMinLength(text.minLength())
                    .setMaxLength(text.maxLength())
                    .setCharset(text.charset()));
        } else if (space instanceof Graph graph) {
            GraphSpace.Builder features = GraphSpace.newBuilder().setNodeSpace(toProto(graph.nodeSpace()));
            if (graph.edgeSpace() != null) {
                features.setEdgeSpace(toProto(graph.edgeSpace()));
            }
            builder.setGraph(features);
        } else if (space instanceof Sequence sequence) {
            builder.setSequence(SequenceSpace.newBuilder()
                    .setFeatureSpace(toProto(sequence.featureSpace()))
                    .setStack(sequence.stack()));
        } else if (space instanceof OneOf oneOf) {
            builder.setOneOf(OneOfSpace.newBuilder()
                    .addAllSpaces(oneOf.spaces().stream().map(ProtoEncoders::toProto).toList()));
        } else {
            throw new IllegalArgumentException("unknown space " + space);
        }
        return builder.build();
    }

    /** Integral boxes with an infinite bound send float64 bounds, as the wire contract says. */
    private static dev.gymlink.proto.v1.Tensor encodeBound(Box box, double[] bound) {
        boolean infinite = Arrays.stream(box.low()).anyMatch(Double::isInfinite)
                || Arrays.stream(box.high()).anyMatch(Double::isInfinite);
        DType dtype = box.dtype().isIntegral() && infinite ? DType.FLOAT64 : box.dtype();
        return TensorCodec.encodeTensor(dtype, box.shape(), bound);
    }

    private static double[] toDoubles(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static dev.gymlink.proto.v1.EnvSpec toProto(EnvSpec spec) {
        dev.gymlink.proto.v1.EnvSpec.Builder builder = dev.gymlink.proto.v1.EnvSpec.newBuilder()
                .setId(spec.id())
                .setNondeterministic(spec.nondeterministic())
                .setEntryPoint(spec.entryPoint())
                .setFamily(spec.family());
        spec.maxEpisodeSteps().ifPresent(builder::setMaxEpisodeSteps);
        spec.rewardThreshold().ifPresent(builder::setRewardThreshold);
        return builder.build();
    }

    /** Encodes one unbatched element: the server's side of a final observation, for test servers. */
    static Value elementToValue(Space space, Object element) throws InvalidArgumentException {
        return ElementCodec.encodeElement(space, element, "element");
    }

    static Info toProtoInfo(Map<String, Object> info) throws InvalidArgumentException {
        return Info.newBuilder().putAllEntries(ValueCodec.toValues(info, "info")).build();
    }
}
