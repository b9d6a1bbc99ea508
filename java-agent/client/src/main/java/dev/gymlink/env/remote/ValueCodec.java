package dev.gymlink.env.remote;

import dev.gymlink.env.GraphInstance;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.Tensor;
import dev.gymlink.proto.v1.DictValue;
import dev.gymlink.proto.v1.DictValueEntry;
import dev.gymlink.proto.v1.GraphValue;
import dev.gymlink.proto.v1.Info;
import dev.gymlink.proto.v1.TupleValue;
import dev.gymlink.proto.v1.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free-form values ({@code gymlink.v1.Value} without a space to guide them): kwargs, reset options
 * and infos, in their natural Java forms (Boolean, Long, Double, String, Tensor, List, Map; a
 * graph or one_of value as {@link GraphInstance} or {@link OneOf.Choice}).
 */
final class ValueCodec {

    /** Info key holding the keys the server could not convert (a list of strings). */
    static final String DROPPED_INFO_KEYS = "gymlink.dropped_info_keys";

    private ValueCodec() {}

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
            builder.setTensor(TensorCodec.toProto(tensor));
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
                    throw new InvalidArgumentException(role + " " + PythonRepr.describeValue(value)
                            + " has a non-string key " + PythonRepr.describeValue(entry.getKey()));
                }
                dict.addEntries(DictValueEntry.newBuilder().setKey(key).setValue(toValue(entry.getValue(), role)));
            }
            builder.setDict(dict);
        } else {
            throw new InvalidArgumentException(role + " " + PythonRepr.describeValue(value) + " of type "
                    + (value == null ? "null" : value.getClass().getName())
                    + " cannot be sent; use Boolean, Long, Double, String, Tensor, List or Map");
        }
        return builder.build();
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
            case TENSOR -> TensorCodec.fromProto(value.getTensor());
            case DISCRETE -> value.getDiscrete();
            case TUPLE -> value.getTuple().getValuesList().stream().map(ValueCodec::fromValue).toList();
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
            case GRAPH -> {
                GraphValue graph = value.getGraph();
                yield graph.hasEdges() || graph.hasEdgeLinks()
                        ? new GraphInstance(TensorCodec.fromProto(graph.getNodes()), TensorCodec.fromProto(graph.getEdges()),
                                TensorCodec.fromProto(graph.getEdgeLinks()))
                        : GraphInstance.ofNodes(TensorCodec.fromProto(graph.getNodes()));
            }
            case ONE_OF -> new OneOf.Choice(Math.toIntExact(value.getOneOf().getIndex()),
                    fromValue(value.getOneOf().getValue()));
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
        return infos.stream().map(ValueCodec::fromProto).toList();
    }
}
