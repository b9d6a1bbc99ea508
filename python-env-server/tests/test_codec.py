"""Every space type and its values survive the trip through the wire format."""

from __future__ import annotations

import math

import grpc
import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.vector.utils import batch_space
from hypothesis import given, settings
from hypothesis import strategies as st

from gymlink_server import codec
from gymlink_server._proto import values_pb2 as pb
from gymlink_server.errors import RequestError

INF = np.inf

FLOAT_DTYPES = [np.float32, np.float64]
INT_DTYPES = [np.int8, np.int32, np.int64, np.uint8]

NAMED_SPACES = {
    "box float32 with +-inf bounds": spaces.Box(
        np.array([-4.8, -INF, -0.42, -INF], np.float32), np.array([4.8, INF, 0.42, INF], np.float32)
    ),
    "box float64 bounded 2x3": spaces.Box(-1.0, 2.0, (2, 3), np.float64),
    "box float32 unbounded scalar": spaces.Box(-INF, INF, (), np.float32),
    "box uint8 image": spaces.Box(0, 255, (4, 5, 3), np.uint8),
    "box int32": spaces.Box(-3, 7, (3,), np.int32),
    "box int64 full range": spaces.Box(-INF, INF, (2,), np.int64),
    "discrete": spaces.Discrete(2),
    "discrete with start": spaces.Discrete(5, start=-2),
    "multi discrete 2d": spaces.MultiDiscrete(np.array([[2, 3], [4, 5]]), start=np.array([[0, -1], [3, 10]])),
    "multi binary 2x3": spaces.MultiBinary([2, 3]),
    "multi binary flat": spaces.MultiBinary(4),
    "tuple": spaces.Tuple((spaces.Discrete(3), spaces.Box(-1, 1, (2,), np.float32))),
    "dict nested": spaces.Dict(
        {
            "position": spaces.Box(-INF, INF, (2,), np.float64),
            "inventory": spaces.MultiDiscrete([3, 4]),
            "more": spaces.Dict({"flag": spaces.MultiBinary(1), "mode": spaces.Discrete(4, start=1)}),
        }
    ),
    "text": spaces.Text(max_length=6, min_length=1, charset="abcxyz"),
    "text unsorted charset": spaces.Text(max_length=4, min_length=0, charset="zebra!"),
    "graph box nodes discrete edges": spaces.Graph(spaces.Box(-1, 1, (2, 2), np.float32), spaces.Discrete(3, start=-1)),
    "graph discrete nodes no edges": spaces.Graph(spaces.Discrete(4), None),
    "graph int box edges": spaces.Graph(spaces.Box(0.0, 1.0, (1,), np.float64), spaces.Box(0, 9, (2,), np.int32)),
    "sequence of dicts": spaces.Sequence(spaces.Dict({"id": spaces.Discrete(3), "pos": spaces.Box(-1, 1, (2,))})),
    "sequence stacked boxes": spaces.Sequence(spaces.Box(-1, 1, (3,), np.float32), stack=True),
    "sequence stacked tuples": spaces.Sequence(spaces.Tuple((spaces.Discrete(2), spaces.MultiBinary(2))), stack=True),
    "one of": spaces.OneOf((spaces.Discrete(2), spaces.Box(-1, 1, (2,), np.float32), spaces.Text(3, charset="qp"))),
    "one of nested": spaces.OneOf((spaces.Sequence(spaces.Discrete(4)), spaces.Tuple((spaces.Discrete(2),)))),
}


def wire(msg):
    """Serialises and parses back, as the network would."""
    return type(msg).FromString(msg.SerializeToString())


# ------------------------------------------------------------------ hypothesis: arbitrary spaces

shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


@st.composite
def boxes(draw):
    shape = draw(shapes)
    dtype = draw(st.sampled_from(FLOAT_DTYPES + INT_DTYPES))
    size = int(np.prod(shape, dtype=np.int64))
    if np.issubdtype(dtype, np.floating):
        low = draw(st.lists(st.sampled_from([-INF, -10.5, -1.0, 0.0]), min_size=size, max_size=size))
        high = draw(st.lists(st.sampled_from([0.5, 1.0, 10.0, INF]), min_size=size, max_size=size))
    else:
        floor = 0 if np.issubdtype(dtype, np.unsignedinteger) else -5
        low = draw(st.lists(st.integers(floor, 0), min_size=size, max_size=size))
        high = draw(st.lists(st.integers(1, 100), min_size=size, max_size=size))
    return spaces.Box(
        np.array(low, dtype=np.float64).reshape(shape).astype(dtype),
        np.array(high, dtype=np.float64).reshape(shape).astype(dtype),
        dtype=dtype,
    )


@st.composite
def multi_discretes(draw):
    shape = draw(st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple))
    size = int(np.prod(shape))
    nvec = np.array(draw(st.lists(st.integers(1, 9), min_size=size, max_size=size))).reshape(shape)
    start = np.array(draw(st.lists(st.integers(-5, 5), min_size=size, max_size=size))).reshape(shape)
    return spaces.MultiDiscrete(nvec, start=start)


leaf_spaces = st.one_of(
    boxes(),
    st.builds(lambda n, start: spaces.Discrete(n, start=start), st.integers(1, 10), st.integers(-5, 5)),
    multi_discretes(),
    st.lists(st.integers(1, 3), min_size=1, max_size=2).map(spaces.MultiBinary),
    st.builds(
        lambda lo, extra, chars: spaces.Text(max_length=lo + extra, min_length=lo, charset=chars),
        st.integers(0, 3),
        st.integers(0, 4),
        st.sampled_from(["ab", "0123456789", "xyz!", "zebra!"]),
    ),
)

graph_features = st.one_of(
    boxes(), st.builds(lambda n, start: spaces.Discrete(n, start=start), st.integers(1, 10), st.integers(-5, 5))
)
graphs = st.builds(spaces.Graph, graph_features, st.none() | graph_features)

any_space = st.recursive(
    st.one_of(leaf_spaces, graphs),
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda items: spaces.Tuple(items)),
        st.dictionaries(st.sampled_from(["a", "b", "obs", "z_last"]), children, min_size=1, max_size=3).map(
            lambda entries: spaces.Dict(list(entries.items()))
        ),
        st.builds(spaces.Sequence, children, stack=st.booleans()),
        st.lists(children, min_size=1, max_size=3).map(spaces.OneOf),
    ),
    max_leaves=5,
)


@settings(max_examples=150, deadline=None)
@given(space=any_space, seed=st.integers(0, 2**31 - 1), num_envs=st.integers(1, 4))
def test_any_space_and_its_values_round_trip(space, seed, num_envs):
    assert _equivalent_spaces(codec.space_from_proto(wire(codec.space_to_proto(space))), space)

    space.seed(seed)
    element = space.sample()
    decoded = codec.decode_element(space, wire(codec.encode_element(space, element)))
    assert same_element(decoded, element), (decoded, element)

    batched = batch_space(space, num_envs)
    batched.seed(seed)
    batch = batched.sample()
    decoded_batch = codec.decode_batch(space, wire(codec.encode_batch(space, batch)), num_envs)
    assert _same_values(decoded_batch, batch), (decoded_batch, batch)


# ------------------------------------------------------------------ every named space type


@pytest.mark.parametrize("name", list(NAMED_SPACES))
def test_named_space_round_trips(name):
    space = NAMED_SPACES[name]
    assert codec.space_from_proto(wire(codec.space_to_proto(space))) == space
    for seed in range(5):
        space.seed(seed)
        element = space.sample()
        assert same_element(codec.decode_element(space, wire(codec.encode_element(space, element))), element)
        batched = batch_space(space, 3)
        batched.seed(seed)
        batch = batched.sample()
        assert _same_values(codec.decode_batch(space, wire(codec.encode_batch(space, batch)), 3), batch)


def test_infinite_bounds_travel_as_ieee_infinities():
    box = NAMED_SPACES["box float32 with +-inf bounds"]
    msg = codec.space_to_proto(box).box
    low = np.frombuffer(msg.low.data, dtype="<f4")
    assert msg.low.dtype == pb.DTYPE_FLOAT32
    assert low[1] == -INF and low[3] == -INF
    assert np.frombuffer(msg.high.data, dtype="<f4")[1] == INF
    assert low[0] == np.float32(-4.8)


def test_uint8_box_bounds_keep_their_dtype():
    msg = codec.space_to_proto(NAMED_SPACES["box uint8 image"]).box
    assert msg.dtype == msg.low.dtype == msg.high.dtype == pb.DTYPE_UINT8
    assert list(msg.low.shape) == [4, 5, 3]
    assert set(msg.high.data) == {255}


def test_discrete_batches_are_int64_tensors_with_num_envs_first():
    space = spaces.Discrete(5, start=-2)
    msg = codec.encode_batch(space, np.array([-2, 2, 0]))
    assert msg.tensor.dtype == pb.DTYPE_INT64 and list(msg.tensor.shape) == [3]
    assert codec.encode_element(space, np.int64(-1)).discrete == -1


def test_text_batch_is_a_tuple_of_strings():
    space = NAMED_SPACES["text"]
    msg = codec.encode_batch(space, ("ab", "zzz"))
    assert [v.text for v in msg.tuple.values] == ["ab", "zzz"]


def test_dict_keeps_gymnasium_key_order():
    space = NAMED_SPACES["dict nested"]
    keys = [entry.key for entry in codec.space_to_proto(space).dict.entries]
    assert keys == list(space.spaces.keys())


def test_tensor_bytes_are_little_endian_c_order():
    array = np.arange(6, dtype=">i4").reshape(2, 3)  # big-endian input is converted
    tensor = codec.encode_tensor(array)
    assert tensor.dtype == pb.DTYPE_INT32
    assert tensor.data == np.arange(6, dtype="<i4").tobytes()
    assert np.array_equal(codec.decode_tensor(tensor), array)


# ------------------------------------------------------------------ refused values


def _error(call) -> RequestError:
    with pytest.raises(RequestError) as caught:
        call()
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    return caught.value


def test_tensor_without_dtype_is_refused():
    error = _error(lambda: codec.decode_tensor(pb.Tensor(shape=[1], data=b"\0\0\0\0")))
    assert "DTYPE_UNSPECIFIED" in error.message


def test_tensor_with_wrong_byte_count_is_refused():
    error = _error(lambda: codec.decode_tensor(pb.Tensor(dtype=pb.DTYPE_FLOAT32, shape=[2], data=b"\0" * 7)))
    assert "needs 8 bytes, got 7" in error.message


def test_discrete_action_outside_space_names_value_and_space():
    msg = codec.encode_batch(spaces.Discrete(2), np.array([1, 2]))
    error = _error(lambda: codec.decode_batch(spaces.Discrete(2), msg, 2))
    assert "2 of env 1" in error.message and "Discrete(2)" in error.message


def test_discrete_start_is_respected():
    space = spaces.Discrete(3, start=5)
    assert codec.decode_batch(space, codec.encode_batch(space, np.array([5, 7])), 2).tolist() == [5, 7]
    _error(lambda: codec.decode_batch(space, codec.encode_batch(space, np.array([4])), 1))


def test_box_nan_is_refused():
    space = spaces.Box(-2.0, 2.0, (1,), np.float32)
    msg = codec.encode_batch(space, np.array([[np.nan]], np.float32))
    error = _error(lambda: codec.decode_batch(space, msg, 1))
    assert "nan" in error.message and "not finite" in error.message and "Box(" in error.message


def test_box_value_outside_bounds_is_refused():
    space = spaces.Box(-2.0, 2.0, (1,), np.float32)
    error = _error(lambda: codec.decode_batch(space, codec.encode_batch(space, np.array([[2.5]], np.float32)), 1))
    assert "2.5" in error.message and "outside Box(-2.0, 2.0, (1,), float32)" in error.message


def test_box_wrong_dtype_and_wrong_shape_are_refused():
    space = spaces.Box(-2.0, 2.0, (2,), np.float32)
    wrong_dtype = codec.encode_batch(space, np.zeros((1, 2), np.float64))
    assert "dtype float64" in _error(lambda: codec.decode_batch(space, wrong_dtype, 1)).message
    wrong_shape = codec.encode_batch(space, np.zeros((1, 3), np.float32))
    assert "shape [1, 3], expected [1, 2]" in _error(lambda: codec.decode_batch(space, wrong_shape, 1)).message


def test_multi_binary_refuses_other_numbers():
    space = spaces.MultiBinary(2)
    _error(lambda: codec.decode_batch(space, codec.encode_batch(space, np.array([[0, 2]])), 1))


def test_dict_with_missing_or_extra_keys_is_refused():
    space = spaces.Dict({"a": spaces.Discrete(2), "b": spaces.Discrete(2)})
    only_a = pb.Value()
    only_a.dict.entries.add(key="a").value.CopyFrom(codec.encode_batch(spaces.Discrete(2), np.array([0])))
    assert "lacks key 'b'" in _error(lambda: codec.decode_batch(space, only_a, 1)).message
    extra = pb.Value()
    extra.CopyFrom(only_a)
    extra.dict.entries.add(key="b").value.CopyFrom(codec.encode_batch(spaces.Discrete(2), np.array([0])))
    extra.dict.entries.add(key="c").value.CopyFrom(codec.encode_batch(spaces.Discrete(2), np.array([0])))
    assert "'c'" in _error(lambda: codec.decode_batch(space, extra, 1)).message


def test_text_outside_charset_is_refused():
    space = spaces.Text(max_length=3, charset="ab")
    msg = codec.encode_batch(space, ("ab", "abc"))
    assert "env 1" in _error(lambda: codec.decode_batch(space, msg, 2)).message


def test_text_charset_keeps_gymnasium_order_not_the_sorted_one():
    space = NAMED_SPACES["text unsorted charset"]
    assert codec.space_to_proto(space).text.charset == "zebra!"
    assert codec.space_from_proto(codec.space_to_proto(space)).character_list == space.character_list
    alphanumeric = codec.space_to_proto(spaces.Text(3)).text.charset  # a set: Gymnasium sorts it
    assert alphanumeric == "".join(sorted(alphanumeric))


def _graph_message(space, nodes, edges=None, links=None):
    return codec.encode_element(space, spaces.GraphInstance(nodes, edges, links))


def test_graph_elements_travel_as_node_edge_and_link_tensors():
    space = NAMED_SPACES["graph box nodes discrete edges"]
    nodes = np.zeros((3, 2, 2), np.float32)
    msg = _graph_message(space, nodes, np.array([0, 1]), np.array([[0, 2], [1, 1]], np.int32))
    assert list(msg.graph.nodes.shape) == [3, 2, 2] and msg.graph.nodes.dtype == pb.DTYPE_FLOAT32
    assert msg.graph.edges.dtype == msg.graph.edge_links.dtype == pb.DTYPE_INT64
    decoded = codec.decode_element(space, wire(msg))
    assert space.contains(decoded) and decoded.edge_links.dtype == np.int32
    no_edges = codec.decode_element(space, _graph_message(space, nodes))
    assert no_edges.edges is None and no_edges.edge_links is None and space.contains(no_edges)


def test_graph_values_outside_the_space_are_refused_naming_node_or_edge():
    space = NAMED_SPACES["graph box nodes discrete edges"]
    nodes = np.zeros((3, 2, 2), np.float32)
    link_out = _graph_message(space, nodes, np.array([0]), np.array([[0, 3]]))
    message = _error(lambda: codec.decode_element(space, link_out, "action")).message
    assert "edge_links" in message and "(edge 0)" in message and "Graph(" in message
    bad_node = _graph_message(space, np.full((3, 2, 2), 2.0, np.float32))
    assert "(node 0)" in _error(lambda: codec.decode_element(space, bad_node)).message
    bad_edge = _graph_message(space, nodes, np.array([0, 2]), np.array([[0, 1], [1, 2]]))
    assert "2 of edge 1" in _error(lambda: codec.decode_element(space, bad_edge)).message
    no_links = _graph_message(space, nodes, np.array([0]), np.array([[0, 1]]))
    no_links.graph.ClearField("edge_links")
    assert "without the other" in _error(lambda: codec.decode_element(space, no_links)).message
    few_links = _graph_message(space, nodes, np.array([0, 1]), np.array([[0, 1], [1, 0]]))
    few_links.graph.edge_links.CopyFrom(codec.encode_tensor(np.array([[0, 1]], np.int64)))
    assert "expected [2, 2]" in _error(lambda: codec.decode_element(space, few_links)).message
    nodes_only = NAMED_SPACES["graph discrete nodes no edges"]
    with_edges = _graph_message(space, nodes, np.array([0]), np.array([[0, 1]]))
    with_edges.graph.nodes.CopyFrom(codec.encode_tensor(np.array([1, 2], np.int64)))
    assert "no edge space" in _error(lambda: codec.decode_element(nodes_only, with_edges)).message
    no_nodes = pb.Value(graph=pb.GraphValue())
    assert "no nodes tensor" in _error(lambda: codec.decode_element(nodes_only, no_nodes)).message
    scalar = pb.Value()
    scalar.graph.nodes.CopyFrom(codec.encode_tensor(np.int64(1)))
    assert "one row per node" in _error(lambda: codec.decode_element(nodes_only, scalar)).message


def test_graph_with_features_outside_box_or_discrete_cannot_be_served():
    space = spaces.Graph(spaces.MultiBinary(2), None)
    with pytest.raises(codec.UnconvertibleValue, match="node features of a Box or a Discrete, not MultiBinary"):
        codec.space_to_proto(space)


def test_sequence_items_travel_as_a_tuple_and_stack_again():
    space = NAMED_SPACES["sequence stacked boxes"]
    stacked = np.arange(6, dtype=np.float32).reshape(2, 3) / 10
    msg = codec.encode_element(space, stacked)
    assert [list(v.tensor.shape) for v in msg.tuple.values] == [[3], [3]]
    decoded = codec.decode_element(space, wire(msg))
    assert decoded.dtype == np.float32 and np.array_equal(decoded, stacked)
    empty = codec.decode_element(space, codec.encode_element(space, np.zeros((0, 3), np.float32)))
    assert empty.shape == (0, 3) and space.contains(empty)
    unstacked = NAMED_SPACES["sequence of dicts"]
    assert codec.decode_element(unstacked, codec.encode_element(unstacked, ())) == ()
    bad = codec.encode_element(space, np.array([[0, 0, 0], [0, 5, 0]], np.float32))
    assert "[1]" in _error(lambda: codec.decode_element(space, bad, "action")).message


def test_one_of_refuses_an_unknown_index_or_a_value_of_another_space():
    space = NAMED_SPACES["one of"]
    msg = codec.encode_element(space, (np.int64(2), "qq"))
    assert msg.one_of.index == 2 and msg.one_of.value.text == "qq"
    assert codec.decode_element(space, wire(msg)) == (2, "qq")
    msg.one_of.index = 3
    assert "names space 3" in _error(lambda: codec.decode_element(space, msg)).message
    msg.one_of.index = 0
    assert "Discrete(2)" in _error(lambda: codec.decode_element(space, msg)).message
    assert "one_of value" in _error(lambda: codec.decode_element(space, pb.Value(discrete=1))).message


def test_per_env_batches_name_the_env():
    space = NAMED_SPACES["one of"]
    msg = codec.encode_batch(space, ((np.int64(0), np.int64(1)), (np.int64(0), np.int64(7))))
    assert "of env 1" in _error(lambda: codec.decode_batch(space, msg, 2)).message
    assert "tuple of 3 elements" in _error(lambda: codec.decode_batch(space, msg, 3)).message


# ------------------------------------------------------------------ infos, kwargs, options


def test_info_conversion_is_best_effort_and_names_dropped_keys():
    info = {
        "lives": np.int64(3),
        "prob": 0.25,
        "flag": np.bool_(True),
        "name": "level-1",
        "pixels": np.zeros((2, 2), np.uint8),
        "nested": {"a": [1, 2.5, "x"]},
        "handle": object(),
        7: "non-string key",
        "none": None,
    }
    msg = wire(codec.info_from_dict(info))
    assert sorted(msg.dropped_info_keys) == sorted(["handle", "7", "none"])
    assert msg.entries["lives"].discrete == 3
    assert msg.entries["prob"].number == 0.25
    assert msg.entries["flag"].flag is True
    assert msg.entries["name"].text == "level-1"
    assert list(msg.entries["pixels"].tensor.shape) == [2, 2]
    assert codec.python_from_value(msg.entries["nested"]) == {"a": [1, 2.5, "x"]}


def test_python_values_round_trip():
    for value in [True, -5, 2**62, 1.5, math.inf, "text", [1, [2, "x"]], {"k": {"n": False}}]:
        assert codec.python_from_value(wire(codec.value_from_python(value))) == value
    array = np.arange(4, dtype=np.float32).reshape(2, 2)
    assert np.array_equal(codec.python_from_value(codec.value_from_python(array)), array)


def _equivalent_spaces(a, b) -> bool:
    """Gymnasium's ==, except that MultiBinary(1) and MultiBinary([1]) (unequal there) count as the same."""
    if isinstance(b, spaces.MultiBinary):
        return isinstance(a, spaces.MultiBinary) and a.shape == b.shape
    if isinstance(b, spaces.Tuple):
        return isinstance(a, spaces.Tuple) and len(a) == len(b) and all(map(_equivalent_spaces, a, b))
    if isinstance(b, spaces.Dict):
        return (
            isinstance(a, spaces.Dict)
            and list(a.keys()) == list(b.keys())
            and all(_equivalent_spaces(a[k], b[k]) for k in b)
        )
    if isinstance(b, spaces.OneOf):
        return isinstance(a, spaces.OneOf) and len(a) == len(b) and all(map(_equivalent_spaces, a.spaces, b.spaces))
    if isinstance(b, spaces.Sequence):
        return (
            isinstance(a, spaces.Sequence)
            and a.stack == b.stack
            and _equivalent_spaces(a.feature_space, b.feature_space)
        )
    if isinstance(b, spaces.Text):
        return a == b and a.character_list == b.character_list
    return a == b


def same_element(a, b) -> bool:
    """Equal values of equal dtype; a numpy scalar and a 0-d array count as the same (Gymnasium samples both)."""
    if isinstance(b, dict):
        return set(a) == set(b) and all(same_element(a[k], b[k]) for k in b)
    if isinstance(b, tuple):
        return isinstance(a, tuple) and len(a) == len(b) and all(map(same_element, a, b))
    if isinstance(b, str) or b is None:
        return a == b
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)


def _same_values(a, b) -> bool:
    if isinstance(b, tuple) and b and isinstance(b[0], (tuple, spaces.GraphInstance)):
        return same_element(a, b)  # a batch of Graph, Sequence or OneOf elements
    if isinstance(b, dict):
        return set(a) == set(b) and all(_same_values(a[k], b[k]) for k in b)
    if isinstance(b, tuple) and b and isinstance(b[0], str):
        return tuple(a) == b
    if isinstance(b, tuple):
        return len(a) == len(b) and all(_same_values(x, y) for x, y in zip(a, b, strict=True))
    return (
        isinstance(a, np.ndarray) and a.shape == np.shape(b) and np.array_equal(a, b) and a.dtype == np.asarray(b).dtype
    )
