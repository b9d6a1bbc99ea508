package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvForbiddenException;
import dev.gymlink.env.EnvSecurityException;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvLimitException;
import dev.gymlink.env.EnvNotFoundException;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.Graph;
import dev.gymlink.env.GraphInstance;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Space;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import dev.gymlink.proto.v1.Info;
import dev.gymlink.proto.v1.Value;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The wire codecs (tensors, spaces, values, batched elements, catalog, statuses) against their contract. */
class WireCodecTest {

    private static final List<Space> EVERY_KIND = List.of(
            new Box(new int[] {2, 3}, DType.FLOAT32, new double[] {-1, -2, -3, -4, -5, -6},
                    new double[] {1, 2, 3, 4, 5, 6}),
            Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {4}, DType.FLOAT64),
            Box.uniform(0, 255, new int[] {2, 2, 3}, DType.UINT8),
            new Box(new int[] {2}, DType.INT64, new double[] {Double.NEGATIVE_INFINITY, 0},
                    new double[] {5, Double.POSITIVE_INFINITY}),
            new Discrete(4),
            new Discrete(3, -1),
            new MultiDiscrete(new int[] {2, 2}, new long[] {2, 3, 4, 5}, new long[] {0, 1, -1, 0}),
            new MultiBinary(new int[] {5}),
            Tuple.of(new Discrete(2), Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32)),
            dict(),
            new Text(1, 6, "abcxyz"),
            new Text(0, 4, "zebra!"),
            new Graph(Box.uniform(-1, 1, new int[] {2, 2}, DType.FLOAT32), new Discrete(3, -1)),
            Graph.ofNodes(new Discrete(4)),
            new Sequence(Tuple.of(new Discrete(2), new Text(0, 2, "ba"))),
            new Sequence(Box.uniform(-1, 1, new int[] {3}, DType.FLOAT64), true),
            OneOf.of(new Discrete(2), Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32), new Sequence(new Discrete(3))));

    private static final Graph GRAPH = (Graph) EVERY_KIND.get(12);
    private static final OneOf ONE_OF = (OneOf) EVERY_KIND.get(16);

    private static Dict dict() {
        Map<String, Space> spaces = new LinkedHashMap<>();
        spaces.put("position", Box.uniform(-5, 5, new int[] {2}, DType.FLOAT32));
        spaces.put("goal", new Discrete(9));
        spaces.put("nested", Tuple.of(new MultiBinary(new int[] {2}), new Text(0, 3, "ab")));
        return new Dict(spaces);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void tensorsOfEveryDtypeRoundTripBitForBit(DType dtype) {
        double[] data = switch (dtype) {
            case FLOAT32 -> new double[] {0.1f, -3.5f, Float.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN, -0.0};
            case FLOAT64 -> new double[] {0.1, -3.5, Double.MAX_VALUE, Double.NEGATIVE_INFINITY, Double.NaN, 4.9e-324};
            case BOOL -> new double[] {0, 1, 1, 0, 0, 1};
            // above Long.MAX_VALUE, where the sign bit is a value bit
            case UINT64 -> new double[] {0, 1, 0x1p63 + 0x1p12, 0x1p64 - 0x1p11, 7, 8};
            default -> new double[] {0, 1, dtype.minValue(), dtype.maxValue(), 7, dtype.minValue() < 0 ? -7 : 8};
        };
        Tensor tensor = new Tensor(dtype, new int[] {2, 3}, data);
        var proto = TensorCodec.toProto(tensor);
        assertEquals(6L * dtype.itemSize(), proto.getData().size());
        assertEquals(tensor, TensorCodec.fromProto(proto));
    }

    @Test
    void tensorBytesAreLittleEndianAsTheContractSays() {
        var proto = TensorCodec.toProto(new Tensor(DType.INT32, new int[] {1}, new double[] {1}));
        assertEquals(ByteString.copyFrom(new byte[] {1, 0, 0, 0}), proto.getData());
        var scalar = TensorCodec.toProto(new Tensor(DType.FLOAT32, new int[0], new double[] {1}));
        assertEquals(0, scalar.getShapeCount());
        assertEquals(ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3f}), scalar.getData());
    }

    @Test
    void tensorsWithTheWrongByteCountAreMalformed() {
        var proto = dev.gymlink.proto.v1.Tensor.newBuilder()
                .setDtype(dev.gymlink.proto.v1.DType.DTYPE_FLOAT32)
                .addShape(4)
                .setData(ByteString.copyFrom(new byte[15]))
                .build();
        var error = assertThrows(IllegalArgumentException.class, () -> TensorCodec.fromProto(proto));
        assertTrue(error.getMessage().contains("needs 16 bytes, got 15"), error.getMessage());
        var unspecified = proto.toBuilder().setDtype(dev.gymlink.proto.v1.DType.DTYPE_UNSPECIFIED).build();
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.fromProto(unspecified));
    }

    @Test
    void everySpaceKindRoundTrips() {
        for (Space space : EVERY_KIND) {
            assertEquals(space, SpaceCodec.fromProto(ProtoEncoders.toProto(space)), space::toString);
        }
    }

    @Test
    void integralBoxesWithInfiniteBoundsSendFloat64Bounds() {
        var proto = ProtoEncoders.toProto(EVERY_KIND.get(3));
        assertEquals(dev.gymlink.proto.v1.DType.DTYPE_INT64, proto.getBox().getDtype());
        assertEquals(dev.gymlink.proto.v1.DType.DTYPE_FLOAT64, proto.getBox().getLow().getDtype());
    }

    @Test
    void batchesOfEveryKindSplitBackIntoTheSameElements() throws InvalidArgumentException {
        SplittableRandom rng = new SplittableRandom(11);
        for (Space space : EVERY_KIND) {
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                elements.add(space.sample(rng));
            }
            Value batched = ElementCodec.batch(space, elements, "action");
            assertEquals(elements, List.of(ElementCodec.unbatch(space, batched, 3)), space::toString);
        }
    }

    @Test
    void discreteBatchesAreInt64TensorsWithALeadingEnvAxis() throws InvalidArgumentException {
        Value batched = ElementCodec.batch(new Discrete(2), List.of(1L, 0, 1L), "action");
        assertEquals(new Tensor(DType.INT64, new int[] {3}, new double[] {1, 0, 1}),
                TensorCodec.fromProto(batched.getTensor()));
        Value boxes = ElementCodec.batch(EVERY_KIND.get(0), List.of(EVERY_KIND.get(0).sample(new SplittableRandom(1))),
                "action");
        assertArrayEquals(new int[] {1, 2, 3}, TensorCodec.fromProto(boxes.getTensor()).shape());
    }

    @Test
    void valuesThatCannotBePackedAreInvalidArgumentsNamingTheValueAndSpace() {
        var wrongType = assertThrows(InvalidArgumentException.class,
                () -> ElementCodec.batch(new Discrete(2), List.of("left"), "action"));
        assertEquals("action 'left' is not in Discrete(2)", wrongType.getMessage());
        Box box = Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32);
        var wrongShape = assertThrows(InvalidArgumentException.class,
                () -> ElementCodec.batch(box, List.of(Tensor.float32(0, 0, 0)), "action"));
        assertTrue(wrongShape.getMessage().contains(box.toString()), wrongShape.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> ElementCodec.batch(box, List.of(Tensor.float32(0, 0), Tensor.vector(DType.FLOAT64, 0, 0)),
                        "action"));
    }

    @Test
    void unbatchingRejectsABatchOfTheWrongSize() throws InvalidArgumentException {
        Value batched = ElementCodec.batch(new Discrete(2), List.of(1L, 0L), "action");
        var error = assertThrows(IllegalArgumentException.class,
                () -> ElementCodec.unbatch(new Discrete(2), batched, 3));
        assertTrue(error.getMessage().contains("(3,)"), error.getMessage());
    }

    @Test
    void finalObservationsDecodeAsSingleElements() throws InvalidArgumentException {
        assertEquals(3L, ElementCodec.element(new Discrete(4), Value.newBuilder().setDiscrete(3).build()));
        Value zeroD = Value.newBuilder().setTensor(TensorCodec.toProto(
                new Tensor(DType.INT64, new int[0], new double[] {2}))).build();
        assertEquals(2L, ElementCodec.element(new Discrete(4), zeroD));
        SplittableRandom rng = new SplittableRandom(5);
        for (Space space : EVERY_KIND) {
            Object element = space.sample(rng);
            assertEquals(element, ElementCodec.element(space, ProtoEncoders.elementToValue(space, element)),
                    space::toString);
        }
    }

    @Test
    void textCharsetKeepsItsOrderOnTheWire() {
        assertEquals("zebra!", ProtoEncoders.toProto(EVERY_KIND.get(11)).getText().getCharset());
        assertEquals(new Text(0, 4, "zebra!"), SpaceCodec.fromProto(ProtoEncoders.toProto(EVERY_KIND.get(11))));
    }

    @Test
    void graphElementsTravelAsNodeEdgeAndLinkTensors() throws InvalidArgumentException {
        Tensor nodes = new Tensor(DType.FLOAT32, new int[] {2, 2, 2}, new double[8]);
        GraphInstance graph = new GraphInstance(nodes, new Tensor(DType.INT64, new int[] {1}, new double[] {1}),
                new Tensor(DType.INT64, new int[] {1, 2}, new double[] {1, 0}));
        Value value = ElementCodec.encodeElement(GRAPH, graph, "action");
        assertArrayEquals(new int[] {2, 2, 2}, TensorCodec.fromProto(value.getGraph().getNodes()).shape());
        assertEquals(graph, ElementCodec.element(GRAPH, value));
        Value nodesOnly = ElementCodec.encodeElement(GRAPH, GraphInstance.ofNodes(nodes), "action");
        assertTrue(!nodesOnly.getGraph().hasEdges() && !nodesOnly.getGraph().hasEdgeLinks());
        assertEquals(GraphInstance.ofNodes(nodes), ElementCodec.element(GRAPH, nodesOnly));
        assertEquals(graph, ValueCodec.fromValue(value), "an info entry decodes the same without a space");
    }

    @Test
    void malformedGraphsFromTheServerAreRefused() throws InvalidArgumentException {
        Tensor nodes = new Tensor(DType.FLOAT32, new int[] {2, 2, 2}, new double[8]);
        Value good = ElementCodec.encodeElement(GRAPH, new GraphInstance(nodes,
                new Tensor(DType.INT64, new int[] {1}, new double[] {1}),
                new Tensor(DType.INT64, new int[] {1, 2}, new double[] {1, 0})), "observation");
        Value noLinks = good.toBuilder().setGraph(good.getGraph().toBuilder().clearEdgeLinks()).build();
        assertThrows(IllegalArgumentException.class, () -> ElementCodec.element(GRAPH, noLinks));
        Value badLinks = good.toBuilder().setGraph(good.getGraph().toBuilder().setEdgeLinks(TensorCodec.toProto(
                new Tensor(DType.INT64, new int[] {2, 2}, new double[4])))).build();
        var links = assertThrows(IllegalArgumentException.class, () -> ElementCodec.element(GRAPH, badLinks));
        assertTrue(links.getMessage().contains("edge_links of shape (1, 2)"), links.getMessage());
        Value flatNodes = good.toBuilder().setGraph(good.getGraph().toBuilder().setNodes(TensorCodec.toProto(
                Tensor.float32(0, 0)))).build();
        var shape = assertThrows(IllegalArgumentException.class, () -> ElementCodec.element(GRAPH, flatNodes));
        assertTrue(shape.getMessage().contains("node features of shape (num_nodes, 2, 2), got (2,)"), shape.getMessage());
        Graph nodesOnlySpace = (Graph) EVERY_KIND.get(13);
        assertThrows(IllegalArgumentException.class, () -> ElementCodec.element(nodesOnlySpace, good));
        var kind = assertThrows(IllegalArgumentException.class,
                () -> ElementCodec.element(GRAPH, Value.newBuilder().setText("x").build()));
        assertTrue(kind.getMessage().contains("expected a graph value"), kind.getMessage());
    }

    @Test
    void emptySequencesStillTravelAsTuples() throws InvalidArgumentException {
        Sequence sequence = (Sequence) EVERY_KIND.get(14);
        Value value = ElementCodec.encodeElement(sequence, List.of(), "action");
        assertEquals(Value.KindCase.TUPLE, value.getKindCase());
        assertEquals(List.of(), ElementCodec.element(sequence, value));
    }

    @Test
    void oneOfElementsCarryTheirIndexAndOutOfRangeIndicesAreRefused() throws InvalidArgumentException {
        Value value = ElementCodec.encodeElement(ONE_OF, new OneOf.Choice(2, List.of(0L, 2L)), "action");
        assertEquals(2, value.getOneOf().getIndex());
        assertEquals(new OneOf.Choice(2, List.of(0L, 2L)), ElementCodec.element(ONE_OF, value));
        assertEquals(new OneOf.Choice(2, List.of(0L, 2L)), ValueCodec.fromValue(value));
        Value unknown = value.toBuilder().setOneOf(value.getOneOf().toBuilder().setIndex(3)).build();
        var error = assertThrows(IllegalArgumentException.class, () -> ElementCodec.element(ONE_OF, unknown));
        assertTrue(error.getMessage().contains("names space 3 of 3"), error.getMessage());
        var notSent = assertThrows(InvalidArgumentException.class,
                () -> ElementCodec.batch(ONE_OF, List.of(new OneOf.Choice(0, 1L), new OneOf.Choice(5, 1L)), "action"));
        assertEquals("action at index 1 (5, 1) is not in " + ONE_OF, notSent.getMessage());
        var wrongItem = assertThrows(InvalidArgumentException.class,
                () -> ElementCodec.batch(ONE_OF, List.of(new OneOf.Choice(1, 1L)), "action"));
        assertTrue(wrongItem.getMessage().startsWith("action[1] 1 is not in Box("), wrongItem.getMessage());
    }

    @Test
    void perEnvSpacesBatchAsATupleOfElements() throws InvalidArgumentException {
        Value batched = ElementCodec.batch(GRAPH, List.of(GRAPH.sample(new SplittableRandom(1)),
                GRAPH.sample(new SplittableRandom(2))), "observation");
        assertEquals(2, batched.getTuple().getValuesCount());
        assertEquals(Value.KindCase.GRAPH, batched.getTuple().getValues(1).getKindCase());
        var error = assertThrows(InvalidArgumentException.class,
                () -> ElementCodec.batch(GRAPH, List.of("graph?"), "action"));
        assertEquals("action 'graph?' is not in " + GRAPH, error.getMessage());
    }

    @Test
    void freeFormValuesRoundTripInTheirNaturalJavaForm() throws InvalidArgumentException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("flag", true);
        nested.put("count", 3L);
        nested.put("ratio", 0.25);
        nested.put("name", "FrozenLake");
        nested.put("list", List.of(1L, "two", false));
        nested.put("array", Tensor.float32(1, 2));
        Value value = ValueCodec.toValue(nested, "kwarg");
        assertEquals(nested, ValueCodec.fromValue(value));
        assertEquals(3L, ValueCodec.fromValue(ValueCodec.toValue(3, "kwarg")));
        var error = assertThrows(InvalidArgumentException.class,
                () -> ValueCodec.toValue(new StringBuilder("x"), "kwarg 'map_name'"));
        assertTrue(error.getMessage().startsWith("kwarg 'map_name' x of type java.lang.StringBuilder"),
                error.getMessage());
    }

    @Test
    void infosKeepTheKeysTheServerHadToDrop() {
        Info info = Info.newBuilder()
                .putEntries("lives", Value.newBuilder().setDiscrete(3).build())
                .addDroppedInfoKeys("rgb_object")
                .build();
        Map<String, Object> decoded = ValueCodec.fromProto(info);
        assertEquals(3L, decoded.get("lives"));
        assertEquals(List.of("rgb_object"), decoded.get(RemoteEnvs.DROPPED_INFO_KEYS));
        assertEquals(List.of(Map.of(), Map.of()), ValueCodec.infos(List.of(), 2));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.infos(List.of(info), 2));
    }

    @Test
    void specsKeepAbsentLimitsAbsent() {
        EnvSpec spec = new EnvSpec("FrozenLake-v1", OptionalInt.of(100), OptionalDouble.of(0.7), false,
                "gymnasium.envs.toy_text.frozen_lake:FrozenLakeEnv", "toy_text");
        assertEquals(spec, CatalogCodec.fromProto(ProtoEncoders.toProto(spec)));
        EnvSpec open = new EnvSpec("Pendulum-v1", OptionalInt.empty(), OptionalDouble.empty(), true, "x:Y", "c");
        assertEquals(open, CatalogCodec.fromProto(ProtoEncoders.toProto(open)));
    }

    @Test
    void statusCodesBecomeTheMatchingExceptionWithTheServerMessage() {
        Map<Status.Code, Class<? extends EnvException>> expected = Map.of(
                Status.Code.INVALID_ARGUMENT, InvalidArgumentException.class,
                Status.Code.NOT_FOUND, EnvNotFoundException.class,
                Status.Code.PERMISSION_DENIED, EnvForbiddenException.class,
                Status.Code.UNAUTHENTICATED, EnvSecurityException.class,
                Status.Code.FAILED_PRECONDITION, EnvStateException.class,
                Status.Code.RESOURCE_EXHAUSTED, EnvLimitException.class,
                Status.Code.UNAVAILABLE, EnvUnavailableException.class,
                Status.Code.DEADLINE_EXCEEDED, EnvUnavailableException.class,
                Status.Code.INTERNAL, EnvInternalException.class,
                Status.Code.UNKNOWN, EnvInternalException.class);
        expected.forEach((code, type) -> {
            EnvException exception = StatusMapping.fromStatus(
                    Status.fromCode(code).withDescription("server says why"), "CartPole-v1 make on here");
            assertInstanceOf(type, exception, code.toString());
            assertTrue(exception.getMessage().startsWith("server says why (CartPole-v1 make on here, status " + code),
                    exception.getMessage());
        });
        EnvException fromError = StatusMapping.fromError(dev.gymlink.proto.v1.Error.newBuilder()
                .setCode(Status.Code.INVALID_ARGUMENT.value())
                .setMessage("action 7 is not in Discrete(2)")
                .build(), "CartPole-v1 step on here");
        assertInstanceOf(InvalidArgumentException.class, fromError);
        assertTrue(fromError.getMessage().startsWith("action 7 is not in Discrete(2)"), fromError.getMessage());
    }
}
