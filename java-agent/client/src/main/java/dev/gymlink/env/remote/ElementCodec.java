package dev.gymlink.env.remote;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Graph;
import dev.gymlink.env.GraphInstance;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Space;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import dev.gymlink.proto.v1.DictValue;
import dev.gymlink.proto.v1.DictValueEntry;
import dev.gymlink.proto.v1.GraphValue;
import dev.gymlink.proto.v1.OneOfValue;
import dev.gymlink.proto.v1.TupleValue;
import dev.gymlink.proto.v1.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Elements of a known space on the wire: actions and observations of every copy packed into
 * Gymnasium's batched layout ({@code batch_space}) and split again, and single elements (final
 * observations). Encoding throws {@link InvalidArgumentException} naming the value that cannot
 * travel; decoding throws {@link IllegalArgumentException} for malformed server data.
 */
final class ElementCodec {

    private ElementCodec() {}

    /**
     * Packs one element per env into Gymnasium's batched layout (batch_space): tensors gain a
     * leading axis, Discrete becomes an int64 tensor, Tuple and Dict batch per component, Text,
     * Graph, Sequence and OneOf become a tuple of one element per env. Values are checked only as
     * far as packing needs (kind and shape); whether they lie in the space is the server's call, so
     * that its message reaches the caller.
     */
    static Value batch(Space space, List<?> elements, String role) throws InvalidArgumentException {
        Value.Builder batched = Value.newBuilder();
        if (space instanceof Box box) {
            batched.setTensor(stack(space, box.shape(), elements, role));
        } else if (space instanceof MultiDiscrete multi) {
            batched.setTensor(stack(space, multi.shape(), elements, role));
        } else if (space instanceof MultiBinary binary) {
            batched.setTensor(stack(space, binary.shape(), elements, role));
        } else if (space instanceof Discrete) {
            double[] data = new double[elements.size()];
            for (int i = 0; i < data.length; i++) {
                Object element = elements.get(i);
                if (!isWholeNumber(element)) {
                    throw notInSpace(role, i, elements.size(), element, space);
                }
                data[i] = ((Number) element).longValue();
            }
            batched.setTensor(TensorCodec.encodeTensor(DType.INT64, new int[] {data.length}, data));
        } else if (space instanceof Tuple tuple) {
            TupleValue.Builder components = TupleValue.newBuilder();
            for (int c = 0; c < tuple.spaces().size(); c++) {
                List<Object> column = new ArrayList<>(elements.size());
                for (int i = 0; i < elements.size(); i++) {
                    if (!(elements.get(i) instanceof List<?> list) || list.size() != tuple.spaces().size()) {
                        throw notInSpace(role, i, elements.size(), elements.get(i), space);
                    }
                    column.add(list.get(c));
                }
                components.addValues(batch(tuple.spaces().get(c), column, role));
            }
            batched.setTuple(components);
        } else if (space instanceof Dict dict) {
            DictValue.Builder entries = DictValue.newBuilder();
            for (Map.Entry<String, Space> component : dict.spaces().entrySet()) {
                List<Object> column = new ArrayList<>(elements.size());
                for (int i = 0; i < elements.size(); i++) {
                    if (!(elements.get(i) instanceof Map<?, ?> map) || !map.keySet().equals(dict.spaces().keySet())) {
                        throw notInSpace(role, i, elements.size(), elements.get(i), space);
                    }
                    column.add(map.get(component.getKey()));
                }
                entries.addEntries(DictValueEntry.newBuilder()
                        .setKey(component.getKey())
                        .setValue(batch(component.getValue(), column, role)));
            }
            batched.setDict(entries);
        } else if (isBatchedPerEnv(space)) {
            TupleValue.Builder perEnv = TupleValue.newBuilder();
            for (int i = 0; i < elements.size(); i++) {
                String which = elements.size() > 1 ? role + " at index " + i : role;
                perEnv.addValues(encodeElement(space, elements.get(i), which));
            }
            batched.setTuple(perEnv);
        } else {
            throw new IllegalArgumentException("unknown space " + space);
        }
        return batched.build();
    }

    /** Spaces whose batch_space is a Tuple of copies: their batch is a tuple of whole elements. */
    private static boolean isBatchedPerEnv(Space space) {
        return space instanceof Text || space instanceof Graph || space instanceof Sequence || space instanceof OneOf;
    }

    /**
     * Encodes one unbatched element: tensors as they are (their dtype travels), Discrete as
     * {@code discrete}, Tuple, Dict and Sequence as nested values, Text as {@code text}, Graph and
     * OneOf as their own messages. Checked as far as encoding needs, like {@link #batch}.
     */
    static Value encodeElement(Space space, Object element, String role) throws InvalidArgumentException {
        Value.Builder value = Value.newBuilder();
        if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
            if (!(element instanceof Tensor tensor)) {
                throw notInSpace(role, element, space);
            }
            value.setTensor(TensorCodec.toProto(tensor));
        } else if (space instanceof Discrete) {
            if (!isWholeNumber(element)) {
                throw notInSpace(role, element, space);
            }
            value.setDiscrete(((Number) element).longValue());
        } else if (space instanceof Tuple tuple) {
            if (!(element instanceof List<?> list) || list.size() != tuple.spaces().size()) {
                throw notInSpace(role, element, space);
            }
            TupleValue.Builder components = TupleValue.newBuilder();
            for (int c = 0; c < list.size(); c++) {
                components.addValues(encodeElement(tuple.spaces().get(c), list.get(c), role + "[" + c + "]"));
            }
            value.setTuple(components);
        } else if (space instanceof Dict dict) {
            if (!(element instanceof Map<?, ?> map) || !map.keySet().equals(dict.spaces().keySet())) {
                throw notInSpace(role, element, space);
            }
            DictValue.Builder entries = DictValue.newBuilder();
            for (Map.Entry<String, Space> component : dict.spaces().entrySet()) {
                String key = component.getKey();
                entries.addEntries(DictValueEntry.newBuilder().setKey(key)
                        .setValue(encodeElement(component.getValue(), map.get(key), role + "['" + key + "']")));
            }
            value.setDict(entries);
        } else if (space instanceof Text) {
            if (!(element instanceof String string)) {
                throw notInSpace(role, element, space);
            }
            value.setText(string);
        } else if (space instanceof Graph) {
            if (!(element instanceof GraphInstance graph)) {
                throw notInSpace(role, element, space);
            }
            GraphValue.Builder parts = GraphValue.newBuilder().setNodes(TensorCodec.toProto(graph.nodes()));
            if (graph.hasEdges()) {
                parts.setEdges(TensorCodec.toProto(graph.edges())).setEdgeLinks(TensorCodec.toProto(graph.edgeLinks()));
            }
            value.setGraph(parts);
        } else if (space instanceof Sequence sequence) {
            if (!(element instanceof List<?> items)) {
                throw notInSpace(role, element, space);
            }
            TupleValue.Builder encoded = TupleValue.newBuilder();
            for (int i = 0; i < items.size(); i++) {
                encoded.addValues(encodeElement(sequence.featureSpace(), items.get(i), role + "[" + i + "]"));
            }
            value.setTuple(encoded);
        } else if (space instanceof OneOf oneOf) {
            if (!(element instanceof OneOf.Choice choice) || choice.index() < 0
                    || choice.index() >= oneOf.spaces().size()) {
                throw notInSpace(role, element, space);
            }
            Value chosen = encodeElement(oneOf.spaces().get(choice.index()), choice.value(), role + "[1]");
            value.setOneOf(OneOfValue.newBuilder().setIndex(choice.index()).setValue(chosen));
        } else {
            throw new IllegalArgumentException("unknown space " + space);
        }
        return value.build();
    }

    static boolean isWholeNumber(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }

    /** Stacks equally shaped tensors along a new leading axis; their own dtype travels (the server checks it). */
    private static dev.gymlink.proto.v1.Tensor stack(Space space, int[] shape, List<?> elements, String role)
            throws InvalidArgumentException {
        int size = Tensor.sizeOf(shape);
        double[] data = new double[elements.size() * size];
        DType dtype = null;
        for (int i = 0; i < elements.size(); i++) {
            Object element = elements.get(i);
            if (!(element instanceof Tensor tensor) || !Arrays.equals(tensor.shape(), shape)) {
                throw notInSpace(role, i, elements.size(), element, space);
            }
            if (dtype != null && tensor.dtype() != dtype) {
                throw new InvalidArgumentException(role + "s mix dtypes " + dtype.numpyName() + " and "
                        + tensor.dtype().numpyName() + "; one batch travels as one dtype");
            }
            dtype = tensor.dtype();
            System.arraycopy(tensor.data(), 0, data, i * size, size);
        }
        int[] batchedShape = new int[shape.length + 1];
        batchedShape[0] = elements.size();
        System.arraycopy(shape, 0, batchedShape, 1, shape.length);
        return TensorCodec.encodeTensor(dtype == null ? DType.FLOAT32 : dtype, batchedShape, data);
    }

    /** Names the copy only in a batch of several, so single envs read like Gymnasium. */
    static InvalidArgumentException notInSpace(String role, int index, int batchSize, Object element,
            Space space) {
        String which = batchSize > 1 ? role + " at index " + index : role;
        return notInSpace(which, element, space);
    }

    static InvalidArgumentException notInSpace(String role, Object element, Space space) {
        return new InvalidArgumentException(role + " " + PythonRepr.describeValue(element) + " is not in " + space);
    }

    /** Splits a batched value (see {@link #batch}) into one element per env. */
    static Object[] unbatch(Space space, Value batched, int numEnvs) {
        Object[] out = new Object[numEnvs];
        if (space instanceof Box box) {
            splitTensor(batched, box.shape(), numEnvs, out, space);
        } else if (space instanceof MultiDiscrete multi) {
            splitTensor(batched, multi.shape(), numEnvs, out, space);
        } else if (space instanceof MultiBinary binary) {
            splitTensor(batched, binary.shape(), numEnvs, out, space);
        } else if (space instanceof Discrete) {
            Object[] scalars = new Object[numEnvs];
            splitTensor(batched, new int[0], numEnvs, scalars, space);
            for (int i = 0; i < numEnvs; i++) {
                out[i] = wholeNumber(((Tensor) scalars[i]).get(0), space);
            }
        } else if (space instanceof Tuple tuple) {
            List<Value> components = requireKind(batched, Value.KindCase.TUPLE, space).getTuple().getValuesList();
            checkCount(components.size(), tuple.spaces().size(), space);
            List<Object[]> columns = new ArrayList<>();
            for (int c = 0; c < components.size(); c++) {
                columns.add(unbatch(tuple.spaces().get(c), components.get(c), numEnvs));
            }
            for (int i = 0; i < numEnvs; i++) {
                List<Object> element = new ArrayList<>(columns.size());
                for (Object[] column : columns) {
                    element.add(column[i]);
                }
                out[i] = List.copyOf(element);
            }
        } else if (space instanceof Dict dict) {
            Map<String, Value> entries = dictEntries(requireKind(batched, Value.KindCase.DICT, space), dict);
            Map<String, Object[]> columns = new LinkedHashMap<>();
            for (Map.Entry<String, Space> component : dict.spaces().entrySet()) {
                columns.put(component.getKey(),
                        unbatch(component.getValue(), entries.get(component.getKey()), numEnvs));
            }
            for (int i = 0; i < numEnvs; i++) {
                Map<String, Object> element = new LinkedHashMap<>();
                for (Map.Entry<String, Object[]> column : columns.entrySet()) {
                    element.put(column.getKey(), column.getValue()[i]);
                }
                out[i] = Collections.unmodifiableMap(element);
            }
        } else if (isBatchedPerEnv(space)) {
            List<Value> elements = requireKind(batched, Value.KindCase.TUPLE, space).getTuple().getValuesList();
            checkCount(elements.size(), numEnvs, space);
            for (int i = 0; i < numEnvs; i++) {
                out[i] = element(space, elements.get(i));
            }
        } else {
            throw new IllegalArgumentException("unknown space " + space);
        }
        return out;
    }

    private static void splitTensor(Value batched, int[] shape, int numEnvs, Object[] out, Space space) {
        Tensor all = TensorCodec.fromProto(requireKind(batched, Value.KindCase.TENSOR, space).getTensor());
        int[] expected = new int[shape.length + 1];
        expected[0] = numEnvs;
        System.arraycopy(shape, 0, expected, 1, shape.length);
        if (!Arrays.equals(all.shape(), expected)) {
            throw new IllegalArgumentException("expected a batch of shape " + PythonRepr.shapeString(expected)
                    + " for " + space + ", got " + PythonRepr.shapeString(all.shape()));
        }
        int size = Tensor.sizeOf(shape);
        for (int i = 0; i < numEnvs; i++) {
            out[i] = new Tensor(all.dtype(), shape.clone(), Arrays.copyOfRange(all.data(), i * size, (i + 1) * size));
        }
    }

    private static long wholeNumber(double value, Space space) {
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("a " + space + " element must be a whole number, got " + value);
        }
        return (long) value;
    }

    /** Decodes one unbatched element of a space (a final observation). */
    static Object element(Space space, Value value) {
        if (space instanceof Box box) {
            return tensorOfShape(value, box.shape(), space);
        } else if (space instanceof MultiDiscrete multi) {
            return tensorOfShape(value, multi.shape(), space);
        } else if (space instanceof MultiBinary binary) {
            return tensorOfShape(value, binary.shape(), space);
        } else if (space instanceof Discrete) {
            if (value.getKindCase() == Value.KindCase.DISCRETE) {
                return value.getDiscrete();
            }
            // numpy integer scalars may travel as 0-d tensors
            Tensor tensor = TensorCodec.fromProto(requireKind(value, Value.KindCase.TENSOR, space).getTensor());
            if (tensor.size() != 1) {
                throw new IllegalArgumentException("a " + space + " element must be one number, got " + tensor);
            }
            return wholeNumber(tensor.get(0), space);
        } else if (space instanceof Tuple tuple) {
            List<Value> components = requireKind(value, Value.KindCase.TUPLE, space).getTuple().getValuesList();
            checkCount(components.size(), tuple.spaces().size(), space);
            List<Object> element = new ArrayList<>();
            for (int c = 0; c < components.size(); c++) {
                element.add(element(tuple.spaces().get(c), components.get(c)));
            }
            return List.copyOf(element);
        } else if (space instanceof Dict dict) {
            Map<String, Value> entries = dictEntries(requireKind(value, Value.KindCase.DICT, space), dict);
            Map<String, Object> element = new LinkedHashMap<>();
            for (Map.Entry<String, Space> component : dict.spaces().entrySet()) {
                element.put(component.getKey(), element(component.getValue(), entries.get(component.getKey())));
            }
            return Collections.unmodifiableMap(element);
        } else if (space instanceof Text) {
            return requireKind(value, Value.KindCase.TEXT, space).getText();
        } else if (space instanceof Graph graph) {
            return graphElement(graph, requireKind(value, Value.KindCase.GRAPH, space).getGraph());
        } else if (space instanceof Sequence sequence) {
            List<Object> items = new ArrayList<>();
            for (Value item : requireKind(value, Value.KindCase.TUPLE, space).getTuple().getValuesList()) {
                items.add(element(sequence.featureSpace(), item));
            }
            return List.copyOf(items);
        } else if (space instanceof OneOf oneOf) {
            OneOfValue choice = requireKind(value, Value.KindCase.ONE_OF, space).getOneOf();
            if (choice.getIndex() < 0 || choice.getIndex() >= oneOf.spaces().size()) {
                throw new IllegalArgumentException("a " + space + " element names space " + choice.getIndex()
                        + " of " + oneOf.spaces().size());
            }
            int index = (int) choice.getIndex();
            return new OneOf.Choice(index, element(oneOf.spaces().get(index), choice.getValue()));
        }
        throw new IllegalArgumentException("unknown space " + space);
    }

    private static GraphInstance graphElement(Graph space, GraphValue graph) {
        if (!graph.hasNodes()) {
            throw new IllegalArgumentException("a " + space + " element has no nodes tensor");
        }
        Tensor nodes = features(graph.getNodes(), space.nodeSpace(), "node", space);
        if (!graph.hasEdges() && !graph.hasEdgeLinks()) {
            return GraphInstance.ofNodes(nodes);
        }
        if (space.edgeSpace() == null || !graph.hasEdges() || !graph.hasEdgeLinks()) {
            throw new IllegalArgumentException("a " + space + " element must have both edges and edge_links, or "
                    + (space.edgeSpace() == null ? "neither, as the space has no edge space" : "neither"));
        }
        Tensor edges = features(graph.getEdges(), space.edgeSpace(), "edge", space);
        Tensor links = TensorCodec.fromProto(graph.getEdgeLinks());
        int[] linkShape = {edges.shape()[0], 2};
        if (!Arrays.equals(links.shape(), linkShape) || !links.dtype().isIntegral()) {
            throw new IllegalArgumentException("a " + space + " element needs integer edge_links of shape "
                    + PythonRepr.shapeString(linkShape) + ", got " + links);
        }
        return new GraphInstance(nodes, edges, links);
    }

    /** Node or edge features: one row per node or edge, each row shaped as the feature space's elements. */
    private static Tensor features(dev.gymlink.proto.v1.Tensor proto, Space featureSpace, String unit, Space space) {
        Tensor features = TensorCodec.fromProto(proto);
        int[] rowShape = featureSpace instanceof Box box ? box.shape() : new int[0];
        int[] shape = features.shape();
        if (shape.length != rowShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), rowShape)) {
            String expected = Arrays.stream(rowShape).mapToObj(dim -> ", " + dim)
                    .collect(Collectors.joining("", "(num_" + unit + "s", ")"));
            throw new IllegalArgumentException("a " + space + " element needs " + unit + " features of shape "
                    + expected + ", got " + PythonRepr.shapeString(shape));
        }
        return features;
    }

    private static Tensor tensorOfShape(Value value, int[] shape, Space space) {
        Tensor tensor = TensorCodec.fromProto(requireKind(value, Value.KindCase.TENSOR, space).getTensor());
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException("a " + space + " element must have shape " + PythonRepr.shapeString(shape)
                    + ", got " + PythonRepr.shapeString(tensor.shape()));
        }
        return tensor;
    }

    private static Value requireKind(Value value, Value.KindCase kind, Space space) {
        if (value == null || value.getKindCase() != kind) {
            throw new IllegalArgumentException("expected a " + kind.name().toLowerCase() + " value for " + space
                    + ", got " + (value == null ? "nothing" : value.getKindCase().name().toLowerCase()));
        }
        return value;
    }

    private static Map<String, Value> dictEntries(Value value, Dict space) {
        Map<String, Value> entries = new LinkedHashMap<>();
        for (DictValueEntry entry : value.getDict().getEntriesList()) {
            entries.put(entry.getKey(), entry.getValue());
        }
        if (!entries.keySet().equals(space.spaces().keySet())) {
            throw new IllegalArgumentException("expected keys " + space.spaces().keySet() + " for " + space
                    + ", got " + entries.keySet());
        }
        return entries;
    }

    private static void checkCount(int actual, int expected, Space space) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + " components for " + space + ", got " + actual);
        }
    }
}
