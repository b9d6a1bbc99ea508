package dev.gymlink.env.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvForbiddenException;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvLimitException;
import dev.gymlink.env.EnvNotFoundException;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.Space;
import dev.gymlink.env.Spaces;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import dev.gymlink.proto.v1.BoxSpace;
import dev.gymlink.proto.v1.DictSpace;
import dev.gymlink.proto.v1.DictSpaceEntry;
import dev.gymlink.proto.v1.DictValue;
import dev.gymlink.proto.v1.DictValueEntry;
import dev.gymlink.proto.v1.DiscreteSpace;
import dev.gymlink.proto.v1.Frame;
import dev.gymlink.proto.v1.Info;
import dev.gymlink.proto.v1.MultiBinarySpace;
import dev.gymlink.proto.v1.MultiDiscreteSpace;
import dev.gymlink.proto.v1.Reset;
import dev.gymlink.proto.v1.SessionRequest;
import dev.gymlink.proto.v1.TextSpace;
import dev.gymlink.proto.v1.TupleSpace;
import dev.gymlink.proto.v1.TupleValue;
import dev.gymlink.proto.v1.Value;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The one place where generated {@code dev.gymlink.proto.v1} types meet the domain types of
 * {@code dev.gymlink.env}. Nothing generated leaves this package.
 *
 * <p>Decoding methods take data from the server and throw {@link IllegalArgumentException} when it
 * is malformed; callers turn that into an {@link EnvInternalException}. Encoding methods take data
 * from the caller and throw {@link InvalidArgumentException} naming the value that cannot travel.
 */
final class ProtoMapper {

    /** Info key holding the keys the server could not convert (a list of strings). */
    static final String DROPPED_INFO_KEYS = "gymlink.dropped_info_keys";

    private ProtoMapper() {}

    // ---------------------------------------------------------------- dtypes and tensors

    static DType fromProto(dev.gymlink.proto.v1.DType dtype) {
        return switch (dtype) {
            case DTYPE_FLOAT32 -> DType.FLOAT32;
            case DTYPE_FLOAT64 -> DType.FLOAT64;
            case DTYPE_INT8 -> DType.INT8;
            case DTYPE_INT16 -> DType.INT16;
            case DTYPE_INT32 -> DType.INT32;
            case DTYPE_INT64 -> DType.INT64;
            case DTYPE_UINT8 -> DType.UINT8;
            case DTYPE_UINT16 -> DType.UINT16;
            case DTYPE_UINT32 -> DType.UINT32;
            case DTYPE_UINT64 -> DType.UINT64;
            case DTYPE_BOOL -> DType.BOOL;
            case DTYPE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("tensor dtype " + dtype + " is not a valid dtype");
        };
    }

    static dev.gymlink.proto.v1.DType toProto(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> dev.gymlink.proto.v1.DType.DTYPE_FLOAT32;
            case FLOAT64 -> dev.gymlink.proto.v1.DType.DTYPE_FLOAT64;
            case INT8 -> dev.gymlink.proto.v1.DType.DTYPE_INT8;
            case INT16 -> dev.gymlink.proto.v1.DType.DTYPE_INT16;
            case INT32 -> dev.gymlink.proto.v1.DType.DTYPE_INT32;
            case INT64 -> dev.gymlink.proto.v1.DType.DTYPE_INT64;
            case UINT8 -> dev.gymlink.proto.v1.DType.DTYPE_UINT8;
            case UINT16 -> dev.gymlink.proto.v1.DType.DTYPE_UINT16;
            case UINT32 -> dev.gymlink.proto.v1.DType.DTYPE_UINT32;
            case UINT64 -> dev.gymlink.proto.v1.DType.DTYPE_UINT64;
            case BOOL -> dev.gymlink.proto.v1.DType.DTYPE_BOOL;
        };
    }

    static dev.gymlink.proto.v1.Tensor toProto(Tensor tensor) {
        return encodeTensor(tensor.dtype(), tensor.shape(), tensor.data());
    }

    /** Packs elements little-endian in the dtype's width, as the wire contract says. */
    static dev.gymlink.proto.v1.Tensor encodeTensor(DType dtype, int[] shape, double[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * dtype.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : data) {
            switch (dtype) {
                case FLOAT32 -> bytes.putFloat((float) x);
                case FLOAT64 -> bytes.putDouble(x);
                case INT8, UINT8, BOOL -> bytes.put((byte) (long) x);
                case INT16, UINT16 -> bytes.putShort((short) (long) x);
                case INT32, UINT32 -> bytes.putInt((int) (long) x);
                case INT64 -> bytes.putLong((long) x);
                case UINT64 -> bytes.putLong(x >= 0x1p63 ? (long) (x - 0x1p64) : (long) x);
            }
        }
        dev.gymlink.proto.v1.Tensor.Builder builder = dev.gymlink.proto.v1.Tensor.newBuilder()
                .setDtype(toProto(dtype))
                .setData(UnsafeByteOperations.unsafeWrap(bytes.array()));
        for (int dim : shape) {
            builder.addShape(dim);
        }
        return builder.build();
    }

    static Tensor fromProto(dev.gymlink.proto.v1.Tensor tensor) {
        DType dtype = fromProto(tensor.getDtype());
        int[] shape = shapeFromProto(tensor.getShapeList(), "tensor");
        int size = Tensor.sizeOf(shape);
        ByteString raw = tensor.getData();
        if (raw.size() != (long) size * dtype.itemSize()) {
            throw new IllegalArgumentException("tensor " + dtype.numpyName() + " " + Spaces.shapeString(shape)
                    + " needs " + (long) size * dtype.itemSize() + " bytes, got " + raw.size());
        }
        ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] data = new double[size];
        for (int i = 0; i < size; i++) {
            data[i] = switch (dtype) {
                case FLOAT32 -> bytes.getFloat();
                case FLOAT64 -> bytes.getDouble();
                case INT8 -> bytes.get();
                case UINT8, BOOL -> bytes.get() & 0xff;
                case INT16 -> bytes.getShort();
                case UINT16 -> bytes.getShort() & 0xffff;
                case INT32 -> bytes.getInt();
                case UINT32 -> bytes.getInt() & 0xffffffffL;
                case INT64 -> bytes.getLong();
                case UINT64 -> unsignedToDouble(bytes.getLong());
            };
        }
        return new Tensor(dtype, shape, data);
    }

    private static double unsignedToDouble(long bits) {
        return bits >= 0 ? bits : ((bits >>> 1) | (bits & 1)) * 2.0;
    }

    private static int[] shapeFromProto(List<Long> dims, String what) {
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long dim = dims.get(i);
            if (dim < 0 || dim > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " shape " + dims + " has an invalid dimension " + dim);
            }
            shape[i] = (int) dim;
        }
        return shape;
    }

    private static List<Long> shapeToProto(int[] shape) {
        List<Long> dims = new ArrayList<>(shape.length);
        for (int dim : shape) {
            dims.add((long) dim);
        }
        return dims;
    }

    // ---------------------------------------------------------------- spaces

    static Space fromProto(dev.gymlink.proto.v1.Space space) {
        return switch (space.getKindCase()) {
            case BOX -> boxFromProto(space.getBox());
            case DISCRETE -> new Discrete(space.getDiscrete().getN(), space.getDiscrete().getStart());
            case MULTI_DISCRETE -> multiDiscreteFromProto(space.getMultiDiscrete());
            case MULTI_BINARY -> new MultiBinary(shapeFromProto(space.getMultiBinary().getShapeList(), "MultiBinary"));
            case TUPLE -> new Tuple(space.getTuple().getSpacesList().stream().map(ProtoMapper::fromProto).toList());
            case DICT -> dictSpaceFromProto(space.getDict());
            case TEXT -> textFromProto(space.getText());
            case KIND_NOT_SET -> throw new IllegalArgumentException("space without a kind");
        };
    }

    private static Box boxFromProto(BoxSpace box) {
        int[] shape = shapeFromProto(box.getShapeList(), "Box");
        Tensor low = fromProto(box.getLow());
        Tensor high = fromProto(box.getHigh());
        if (!Arrays.equals(low.shape(), shape) || !Arrays.equals(high.shape(), shape)) {
            throw new IllegalArgumentException("Box of shape " + Spaces.shapeString(shape) + " has bounds of shape "
                    + Spaces.shapeString(low.shape()) + " and " + Spaces.shapeString(high.shape()));
        }
        return new Box(shape, fromProto(box.getDtype()), low.data(), high.data());
    }

    private static MultiDiscrete multiDiscreteFromProto(MultiDiscreteSpace space) {
        Tensor nvec = fromProto(space.getNvec());
        Tensor start = fromProto(space.getStart());
        if (!Arrays.equals(nvec.shape(), start.shape())) {
            throw new IllegalArgumentException("MultiDiscrete nvec of shape " + Spaces.shapeString(nvec.shape())
                    + " but start of shape " + Spaces.shapeString(start.shape()));
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

    static dev.gymlink.proto.v1.Space toProto(Space space) {
        dev.gymlink.proto.v1.Space.Builder builder = dev.gymlink.proto.v1.Space.newBuilder();
        if (space instanceof Box box) {
            builder.setBox(BoxSpace.newBuilder()
                    .addAllShape(shapeToProto(box.shape()))
                    .setDtype(toProto(box.dtype()))
                    .setLow(encodeBound(box, box.low()))
                    .setHigh(encodeBound(box, box.high())));
        } else if (space instanceof Discrete discrete) {
            builder.setDiscrete(DiscreteSpace.newBuilder().setN(discrete.n()).setStart(discrete.start()));
        } else if (space instanceof MultiDiscrete multi) {
            builder.setMultiDiscrete(MultiDiscreteSpace.newBuilder()
                    .setNvec(encodeTensor(DType.INT64, multi.shape(), toDoubles(multi.nvec())))
                    .setStart(encodeTensor(DType.INT64, multi.shape(), toDoubles(multi.start()))));
        } else if (space instanceof MultiBinary binary) {
            builder.setMultiBinary(MultiBinarySpace.newBuilder().addAllShape(shapeToProto(binary.shape())));
        } else if (space instanceof Tuple tuple) {
            builder.setTuple(TupleSpace.newBuilder()
                    .addAllSpaces(tuple.spaces().stream().map(ProtoMapper::toProto).toList()));
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
        return encodeTensor(dtype, box.shape(), bound);
    }

    private static long[] toLongs(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }

    private static double[] toDoubles(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    // ---------------------------------------------------------------- free-form values (kwargs, options, infos)

    /** Encodes a kwarg, a reset option or an info entry. */
    static Value toValue(Object value, String role) throws InvalidArgumentException {
        Value.Builder builder = Value.newBuilder();
        if (value instanceof Boolean flag) {
            builder.setFlag(flag);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            builder.setDiscrete(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            builder.setNumber(((Number) value).doubleValue());
        } else if (value instanceof String text) {
            builder.setText(text);
        } else if (value instanceof Tensor tensor) {
            builder.setTensor(toProto(tensor));
        } else if (value instanceof List<?> list) {
            TupleValue.Builder tuple = TupleValue.newBuilder();
            for (Object item : list) {
                tuple.addValues(toValue(item, role));
            }
            builder.setTuple(tuple);
        } else if (value instanceof Map<?, ?> map) {
            DictValue.Builder dict = DictValue.newBuilder();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new InvalidArgumentException(role + " " + Spaces.describeValue(value)
                            + " has a non-string key " + Spaces.describeValue(entry.getKey()));
                }
                dict.addEntries(DictValueEntry.newBuilder().setKey(key).setValue(toValue(entry.getValue(), role)));
            }
            builder.setDict(dict);
        } else {
            throw new InvalidArgumentException(role + " " + Spaces.describeValue(value) + " of type "
                    + (value == null ? "null" : value.getClass().getName())
                    + " cannot be sent; use Boolean, Long, Double, String, Tensor, List or Map");
        }
        return builder.build();
    }

    /** A Reset request: Gymnasium's {@code reset(seed=..., options=...)}. */
    static SessionRequest resetRequest(OptionalLong seed, Map<String, ?> options) throws InvalidArgumentException {
        Reset.Builder reset = Reset.newBuilder().putAllOptions(toValues(options, "reset option"));
        seed.ifPresent(reset::setSeed);
        return SessionRequest.newBuilder().setReset(reset).build();
    }

    static Map<String, Value> toValues(Map<String, ?> values, String role) throws InvalidArgumentException {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            out.put(entry.getKey(), toValue(entry.getValue(), role + " '" + entry.getKey() + "'"));
        }
        return out;
    }

    /** Decodes a value with no space to guide it (infos, options): the natural Java form of each kind. */
    static Object fromValue(Value value) {
        return switch (value.getKindCase()) {
            case TENSOR -> fromProto(value.getTensor());
            case DISCRETE -> value.getDiscrete();
            case TUPLE -> value.getTuple().getValuesList().stream().map(ProtoMapper::fromValue).toList();
            case DICT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (DictValueEntry entry : value.getDict().getEntriesList()) {
                    map.put(entry.getKey(), fromValue(entry.getValue()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case TEXT -> value.getText();
            case FLAG -> value.getFlag();
            case NUMBER -> value.getNumber();
            case KIND_NOT_SET -> throw new IllegalArgumentException("value without a kind");
        };
    }

    static Map<String, Object> fromProto(Info info) {
        Map<String, Object> map = new LinkedHashMap<>();
        info.getEntriesMap().forEach((key, value) -> map.put(key, fromValue(value)));
        if (info.getDroppedInfoKeysCount() > 0) {
            map.put(DROPPED_INFO_KEYS, List.copyOf(info.getDroppedInfoKeysList()));
        }
        return map;
    }

    /** One info map per env; the server sends none at all when every info was empty. */
    static List<Map<String, Object>> infos(List<Info> infos, int numEnvs) {
        if (infos.isEmpty()) {
            return Collections.nCopies(numEnvs, Map.of());
        }
        if (infos.size() != numEnvs) {
            throw new IllegalArgumentException(infos.size() + " infos for " + numEnvs + " envs");
        }
        return infos.stream().map(ProtoMapper::fromProto).toList();
    }

    static Info toProtoInfo(Map<String, Object> info) throws InvalidArgumentException {
        return Info.newBuilder().putAllEntries(toValues(info, "info")).build();
    }

    // ---------------------------------------------------------------- space elements, batched

    /**
     * Packs one element per env into Gymnasium's batched layout (batch_space): tensors gain a
     * leading axis, Discrete becomes an int64 tensor, Tuple and Dict batch per component, Text
     * becomes a tuple of strings. Values are checked only as far as packing needs (kind and
     * shape); whether they lie in the space is the server's call, so that its message reaches the
     * caller.
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
            batched.setTensor(encodeTensor(DType.INT64, new int[] {data.length}, data));
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
        } else if (space instanceof Text) {
            TupleValue.Builder strings = TupleValue.newBuilder();
            for (int i = 0; i < elements.size(); i++) {
                if (!(elements.get(i) instanceof String string)) {
                    throw notInSpace(role, i, elements.size(), elements.get(i), space);
                }
                strings.addValues(Value.newBuilder().setText(string));
            }
            batched.setTuple(strings);
        } else {
            throw new IllegalArgumentException("unknown space " + space);
        }
        return batched.build();
    }

    private static boolean isWholeNumber(Object value) {
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
        return encodeTensor(dtype == null ? DType.FLOAT32 : dtype, batchedShape, data);
    }

    /** Names the copy only in a batch of several, so single envs read like Gymnasium. */
    private static InvalidArgumentException notInSpace(String role, int index, int batchSize, Object element,
            Space space) {
        String which = batchSize > 1 ? role + " at index " + index : role;
        return notInSpace(which, element, space);
    }

    private static InvalidArgumentException notInSpace(String role, Object element, Space space) {
        return new InvalidArgumentException(role + " " + Spaces.describeValue(element) + " is not in " + space);
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
        } else if (space instanceof Text) {
            List<Value> strings = requireKind(batched, Value.KindCase.TUPLE, space).getTuple().getValuesList();
            checkCount(strings.size(), numEnvs, space);
            for (int i = 0; i < numEnvs; i++) {
                out[i] = requireKind(strings.get(i), Value.KindCase.TEXT, space).getText();
            }
        } else {
            throw new IllegalArgumentException("unknown space " + space);
        }
        return out;
    }

    private static void splitTensor(Value batched, int[] shape, int numEnvs, Object[] out, Space space) {
        Tensor all = fromProto(requireKind(batched, Value.KindCase.TENSOR, space).getTensor());
        int[] expected = new int[shape.length + 1];
        expected[0] = numEnvs;
        System.arraycopy(shape, 0, expected, 1, shape.length);
        if (!Arrays.equals(all.shape(), expected)) {
            throw new IllegalArgumentException("expected a batch of shape " + Spaces.shapeString(expected)
                    + " for " + space + ", got " + Spaces.shapeString(all.shape()));
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
            Tensor tensor = fromProto(requireKind(value, Value.KindCase.TENSOR, space).getTensor());
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
        }
        throw new IllegalArgumentException("unknown space " + space);
    }

    /** Encodes one unbatched element: the server's side of a final observation, for test servers. */
    static Value elementToValue(Space space, Object element) throws InvalidArgumentException {
        if (space instanceof Discrete) {
            if (!isWholeNumber(element)) {
                throw notInSpace("element", element, space);
            }
            return Value.newBuilder().setDiscrete(((Number) element).longValue()).build();
        }
        if (space instanceof Tuple tuple && element instanceof List<?> list && list.size() == tuple.spaces().size()) {
            TupleValue.Builder components = TupleValue.newBuilder();
            for (int c = 0; c < list.size(); c++) {
                components.addValues(elementToValue(tuple.spaces().get(c), list.get(c)));
            }
            return Value.newBuilder().setTuple(components).build();
        }
        if (space instanceof Dict dict && element instanceof Map<?, ?> map) {
            DictValue.Builder entries = DictValue.newBuilder();
            for (Map.Entry<String, Space> component : dict.spaces().entrySet()) {
                entries.addEntries(DictValueEntry.newBuilder().setKey(component.getKey())
                        .setValue(elementToValue(component.getValue(), map.get(component.getKey()))));
            }
            return Value.newBuilder().setDict(entries).build();
        }
        return toValue(element, "element");
    }

    private static Tensor tensorOfShape(Value value, int[] shape, Space space) {
        Tensor tensor = fromProto(requireKind(value, Value.KindCase.TENSOR, space).getTensor());
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException("a " + space + " element must have shape " + Spaces.shapeString(shape)
                    + ", got " + Spaces.shapeString(tensor.shape()));
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

    // ---------------------------------------------------------------- frames, specs, server facts

    static RgbFrame fromProto(Frame frame) {
        Tensor rgb = fromProto(frame.getRgb());
        if (rgb.dtype() != DType.UINT8 || rgb.shape().length != 3 || rgb.shape()[2] != 3) {
            throw new IllegalArgumentException("a frame must be uint8 of shape (height, width, 3), got "
                    + rgb.dtype().numpyName() + " " + Spaces.shapeString(rgb.shape()));
        }
        byte[] bytes = frame.getRgb().getData().toByteArray();
        return new RgbFrame(rgb.shape()[0], rgb.shape()[1], bytes);
    }

    static EnvSpec fromProto(dev.gymlink.proto.v1.EnvSpec spec) {
        OptionalInt maxEpisodeSteps = spec.hasMaxEpisodeSteps()
                ? OptionalInt.of(Math.toIntExact(spec.getMaxEpisodeSteps()))
                : OptionalInt.empty();
        OptionalDouble rewardThreshold = spec.hasRewardThreshold()
                ? OptionalDouble.of(spec.getRewardThreshold())
                : OptionalDouble.empty();
        return new EnvSpec(spec.getId(), maxEpisodeSteps, rewardThreshold, spec.getNondeterministic(),
                spec.getEntryPoint(), spec.getFamily());
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

    static ServerInfo fromProto(dev.gymlink.proto.v1.ServerInfo info) {
        dev.gymlink.proto.v1.Capabilities capabilities = info.getCapabilities();
        return new ServerInfo(
                info.getServerVersion(),
                info.getProtocolVersion(),
                info.getGymnasiumVersion(),
                info.getPythonVersion(),
                new ServerInfo.Capabilities(capabilities.getVector(), capabilities.getRender(),
                        capabilities.getSameStepAutoreset(), capabilities.getNextStepAutoreset()),
                info.getMaxSessions(),
                info.getMaxMessageBytes(),
                info.getActiveSessions(),
                info.getUnavailableFamiliesList());
    }

    static EnvCatalog fromProto(dev.gymlink.proto.v1.ListEnvsResponse response) {
        List<EnvCatalog.Entry> envs = response.getEnvsList().stream()
                .map(spec -> new EnvCatalog.Entry(fromProto(spec), spec.getNativeVector()))
                .toList();
        return new EnvCatalog(envs, fromProto(response.getServer()));
    }

    // ---------------------------------------------------------------- failures

    /** The exception for a gRPC status code, carrying the server's message. */
    static EnvException exceptionFor(Status.Code code, String message) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidArgumentException(message);
            case NOT_FOUND -> new EnvNotFoundException(message);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new EnvForbiddenException(message);
            case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> new EnvStateException(message);
            case RESOURCE_EXHAUSTED -> new EnvLimitException(message);
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> new EnvUnavailableException(message);
            default -> new EnvInternalException(message);
        };
    }

    /** A stream-level failure: the status's code and description, plus what was being done. */
    static EnvException fromStatus(Status status, String context) {
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        EnvException exception = exceptionFor(status.getCode(),
                description + " (" + context + ", status " + status.getCode() + ")");
        if (status.getCause() != null) {
            exception.initCause(status.getCause());
        }
        return exception;
    }

    /** A request-level failure ({@code Error} response); the session stays usable. */
    static EnvException fromError(dev.gymlink.proto.v1.Error error, String context) {
        Status.Code code = Status.fromCodeValue(error.getCode()).getCode();
        return exceptionFor(code, error.getMessage() + " (" + context + ", status " + code + ")");
    }
}
