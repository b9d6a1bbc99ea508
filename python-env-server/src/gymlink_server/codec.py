"""Conversion between Gymnasium spaces and values and gymlink.v1 messages.

Tensors travel as packed little-endian bytes. Observations and actions travel as
one Value in Gymnasium's batched layout (``gymnasium.vector.utils.batch_space``):
array spaces gain a leading ``num_envs`` axis, Discrete becomes an int64 tensor
``[num_envs]``, Tuple and Dict batch per component, and Text, Graph, Sequence and
OneOf (which ``batch_space`` turns into a Tuple of copies) become a tuple of
``num_envs`` elements. MultiDiscrete values are int64 and MultiBinary values int8
on the wire, whatever the space's own dtype; so are Discrete node or edge features
and the edge links of a Graph. A Sequence element travels as a tuple of its items
even when the space stacks them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import grpc
import numpy as np
from gymnasium import spaces
from gymnasium.vector.utils import concatenate, create_empty_array, iterate

from gymlink_server._proto import values_pb2 as pb
from gymlink_server.config import FLAG_OF, ValueLimits
from gymlink_server.errors import RequestError, invalid_argument, shorten, shown, shown_list

_DTYPE_CODES: dict[np.dtype, int] = {
    np.dtype("<f4"): pb.DTYPE_FLOAT32,
    np.dtype("<f8"): pb.DTYPE_FLOAT64,
    np.dtype("i1"): pb.DTYPE_INT8,
    np.dtype("<i2"): pb.DTYPE_INT16,
    np.dtype("<i4"): pb.DTYPE_INT32,
    np.dtype("<i8"): pb.DTYPE_INT64,
    np.dtype("u1"): pb.DTYPE_UINT8,
    np.dtype("<u2"): pb.DTYPE_UINT16,
    np.dtype("<u4"): pb.DTYPE_UINT32,
    np.dtype("<u8"): pb.DTYPE_UINT64,
    np.dtype("?"): pb.DTYPE_BOOL,
}
_DTYPES: dict[int, np.dtype] = {code: dtype for dtype, code in _DTYPE_CODES.items()}
_INT64 = np.dtype("<i8")
_INT8 = np.dtype("i1")
_INTEGER_DTYPES = frozenset(dtype for dtype in _DTYPE_CODES if dtype.kind in "iu")
# numpy allows 64 dimensions; no space of the protocol needs more than a handful.
MAX_TENSOR_DIMS = 32
DEFAULT_VALUE_LIMITS = ValueLimits()
# Spaces whose batch (batch_space) is a Tuple of per-env copies: a batch is a tuple of elements.
_PER_ENV_SPACES = (spaces.Text, spaces.Graph, spaces.Sequence, spaces.OneOf)
# What a Graph's node and edge features may be (Gymnasium's own annotation of Graph).
_GRAPH_FEATURE_SPACES = (spaces.Box, spaces.Discrete)


class UnconvertibleValue(TypeError):
    """A Python value with no gymlink.v1 Value form (an object, a non-string dict key...)."""


# --------------------------------------------------------------------------- tensors


def dtype_code(dtype: np.dtype) -> int:
    """The wire DType of a numpy dtype (either byte order)."""
    code = _DTYPE_CODES.get(np.dtype(dtype).newbyteorder("<"))
    if code is None:
        raise UnconvertibleValue(f"numpy dtype {np.dtype(dtype)} has no gymlink.v1 DType")
    return code


def numpy_dtype(code: int) -> np.dtype:
    """The numpy dtype of a wire DType; DTYPE_UNSPECIFIED and unknown numbers are refused."""
    dtype = _DTYPES.get(code)
    if dtype is None:
        raise invalid_argument(
            f"tensor dtype {pb.DType.Name(code) if code in pb.DType.values() else code} is not allowed"
        )
    return dtype


def fill_tensor(out: pb.Tensor, array: Any) -> pb.Tensor:
    """Writes ``array`` into ``out``: dtype, shape and its bytes in C order, little-endian."""
    array = np.asarray(array)
    code = _DTYPE_CODES.get(array.dtype)
    if code is None:
        code = dtype_code(array.dtype)
        array = array.astype(array.dtype.newbyteorder("<"))
    out.dtype = code
    out.shape[:] = array.shape
    out.data = array.tobytes()
    return out


def encode_tensor(array: Any) -> pb.Tensor:
    return fill_tensor(pb.Tensor(), array)


def decode_tensor(tensor: pb.Tensor) -> np.ndarray:
    """A read-only array viewing the tensor's bytes, after checking dtype, shape and length."""
    dtype = numpy_dtype(tensor.dtype)
    if len(tensor.shape) > MAX_TENSOR_DIMS:
        raise invalid_argument(f"tensor has {len(tensor.shape)} dimensions; at most {MAX_TENSOR_DIMS} are allowed")
    shape = tuple(tensor.shape)
    if any(dim < 0 for dim in shape):
        raise invalid_argument(f"tensor shape {list(shape)} has a negative dimension")
    expected = math.prod(shape) * dtype.itemsize
    if len(tensor.data) != expected:
        raise invalid_argument(
            f"tensor of dtype {dtype.name} and shape {list(shape)} needs {expected} bytes, got {len(tensor.data)}"
        )
    array = np.frombuffer(tensor.data, dtype=dtype).reshape(shape)
    if dtype == np.bool_ and array.size and array.view(np.uint8).max() > 1:
        raise invalid_argument("bool tensor holds a byte other than 0 or 1")
    return array


# --------------------------------------------------------------------------- spaces


def space_to_proto(space: spaces.Space) -> pb.Space:
    """The wire form of a Gymnasium space; spaces outside the protocol raise UnconvertibleValue."""
    msg = pb.Space()
    if isinstance(space, spaces.Box):
        msg.box.shape[:] = space.shape
        msg.box.dtype = dtype_code(space.dtype)
        bounds_dtype = space.dtype
        if np.issubdtype(space.dtype, np.integer) and (np.any(np.isinf(space.low)) or np.any(np.isinf(space.high))):
            bounds_dtype = np.float64
        fill_tensor(msg.box.low, np.broadcast_to(space.low, space.shape).astype(bounds_dtype))
        fill_tensor(msg.box.high, np.broadcast_to(space.high, space.shape).astype(bounds_dtype))
    elif isinstance(space, spaces.Discrete):
        msg.discrete.n = int(space.n)
        msg.discrete.start = int(space.start)
    elif isinstance(space, spaces.MultiDiscrete):
        fill_tensor(msg.multi_discrete.nvec, space.nvec.astype(_INT64))
        fill_tensor(msg.multi_discrete.start, space.start.astype(_INT64))
    elif isinstance(space, spaces.MultiBinary):
        msg.multi_binary.shape[:] = space.shape
    elif isinstance(space, spaces.Tuple):
        msg.tuple.spaces.extend(space_to_proto(s) for s in space.spaces)
    elif isinstance(space, spaces.Dict):
        for key, sub in space.spaces.items():
            msg.dict.entries.add(key=key, space=space_to_proto(sub))
    elif isinstance(space, spaces.Text):
        msg.text.min_length = space.min_length
        msg.text.max_length = space.max_length
        # character_list keeps the order seeded samples index into; `characters` is sorted.
        msg.text.charset = "".join(space.character_list)
    elif isinstance(space, spaces.Graph):
        for role, feature_space in (("node", space.node_space), ("edge", space.edge_space)):
            if feature_space is not None and not isinstance(feature_space, _GRAPH_FEATURE_SPACES):
                raise UnconvertibleValue(
                    f"space {space}: gymlink.v1 carries Graph {role} features of a Box or a Discrete, "
                    f"not {type(feature_space).__name__}"
                )
        msg.graph.node_space.CopyFrom(space_to_proto(space.node_space))
        if space.edge_space is not None:
            msg.graph.edge_space.CopyFrom(space_to_proto(space.edge_space))
    elif isinstance(space, spaces.Sequence):
        msg.sequence.feature_space.CopyFrom(space_to_proto(space.feature_space))
        msg.sequence.stack = space.stack
    elif isinstance(space, spaces.OneOf):
        msg.one_of.spaces.extend(space_to_proto(s) for s in space.spaces)
    else:
        raise UnconvertibleValue(f"space {space} ({type(space).__name__}) is not part of gymlink.v1")
    return msg


def space_from_proto(msg: pb.Space) -> spaces.Space:
    """The Gymnasium space a wire Space describes (what a Python client would rebuild)."""
    kind = msg.WhichOneof("kind")
    if kind == "box":
        dtype = numpy_dtype(msg.box.dtype)
        return spaces.Box(
            low=decode_tensor(msg.box.low), high=decode_tensor(msg.box.high), shape=tuple(msg.box.shape), dtype=dtype
        )
    if kind == "discrete":
        return spaces.Discrete(msg.discrete.n, start=msg.discrete.start)
    if kind == "multi_discrete":
        return spaces.MultiDiscrete(
            decode_tensor(msg.multi_discrete.nvec), start=decode_tensor(msg.multi_discrete.start)
        )
    if kind == "multi_binary":
        shape = tuple(msg.multi_binary.shape)
        return spaces.MultiBinary(list(shape) if len(shape) != 1 else shape[0])
    if kind == "tuple":
        return spaces.Tuple([space_from_proto(s) for s in msg.tuple.spaces])
    if kind == "dict":
        # A list of pairs keeps the wire order; a plain dict would be re-sorted by Gymnasium.
        return spaces.Dict([(e.key, space_from_proto(e.space)) for e in msg.dict.entries])
    if kind == "text":
        return spaces.Text(msg.text.max_length, min_length=msg.text.min_length, charset=msg.text.charset)
    if kind == "graph":
        edge_space = space_from_proto(msg.graph.edge_space) if msg.graph.HasField("edge_space") else None
        return spaces.Graph(space_from_proto(msg.graph.node_space), edge_space)
    if kind == "sequence":
        return spaces.Sequence(space_from_proto(msg.sequence.feature_space), stack=msg.sequence.stack)
    if kind == "one_of":
        if not msg.one_of.spaces:
            raise invalid_argument("OneOf space has no spaces")
        return spaces.OneOf([space_from_proto(s) for s in msg.one_of.spaces])
    raise invalid_argument("space has no kind set")


# --------------------------------------------------------------------------- single elements


def encode_element(space: spaces.Space, x: Any) -> pb.Value:
    """One (unbatched) element of ``space``."""
    msg = pb.Value()
    fill_element(msg, space, x)
    return msg


def fill_element(msg: pb.Value, space: spaces.Space, x: Any) -> None:
    """Writes one (unbatched) element of ``space`` into ``msg``."""
    if isinstance(space, spaces.Box):
        fill_tensor(msg.tensor, np.asarray(x, dtype=space.dtype))
    elif isinstance(space, spaces.Discrete):
        msg.discrete = int(x)
    elif isinstance(space, spaces.MultiDiscrete):
        fill_tensor(msg.tensor, np.asarray(x).astype(_INT64))
    elif isinstance(space, spaces.MultiBinary):
        fill_tensor(msg.tensor, np.asarray(x).astype(_INT8))
    elif isinstance(space, spaces.Tuple):
        for sub, item in zip(space.spaces, x, strict=True):
            fill_element(msg.tuple.values.add(), sub, item)
    elif isinstance(space, spaces.Dict):
        for key, sub in space.spaces.items():
            fill_element(msg.dict.entries.add(key=key).value, sub, x[key])
    elif isinstance(space, spaces.Text):
        msg.text = x
    elif isinstance(space, spaces.Graph):
        _fill_graph(msg.graph, space, x)
    elif isinstance(space, spaces.Sequence):
        items = iterate(space.stacked_feature_space, x) if space.stack else x
        msg.tuple.SetInParent()  # an empty sequence is still a tuple, not an empty Value
        for item in items:
            fill_element(msg.tuple.values.add(), space.feature_space, item)
    elif isinstance(space, spaces.OneOf):
        index, item = x
        msg.one_of.index = int(index)
        fill_element(msg.one_of.value, space.spaces[int(index)], item)
    else:
        raise UnconvertibleValue(f"space {space} is not part of gymlink.v1")


def _fill_graph(msg: pb.GraphValue, space: spaces.Graph, x: spaces.GraphInstance) -> None:
    _fill_features(msg.nodes, space.node_space, x.nodes)
    if (x.edges is None) != (x.edge_links is None):
        raise UnconvertibleValue(f"a {space} element has edges or edge_links, not both")
    if x.edges is not None:
        if space.edge_space is None:
            raise UnconvertibleValue(f"a {space} element has edges but the space has no edge space")
        _fill_features(msg.edges, space.edge_space, x.edges)
        fill_tensor(msg.edge_links, np.asarray(x.edge_links).astype(_INT64))


def _fill_features(out: pb.Tensor, space: spaces.Space, features: Any) -> None:
    """Node or edge features, one row per node or edge, in the layout of a batch of ``space``."""
    dtype = space.dtype if isinstance(space, spaces.Box) else _INT64
    fill_tensor(out, np.asarray(features).astype(dtype, copy=False))


def decode_element(space: spaces.Space, msg: pb.Value, what: str = "value") -> Any:
    """An element of ``space`` from its wire form, refused unless ``space`` contains it."""
    batch = decode_batch(space, _batch_of_one_message(space, msg, what), 1, what)
    return first_of_batch(space, batch)


def _batch_of_one_message(space: spaces.Space, msg: pb.Value, what: str) -> pb.Value:
    """Rewrites an element message into a batch-of-one message so one validator serves both."""
    out = pb.Value()
    if isinstance(space, spaces.Discrete):
        if msg.WhichOneof("kind") != "discrete":
            raise invalid_argument(f"{what} must be a discrete value for {space}, got {_kind(msg)}")
        fill_tensor(out.tensor, np.array([msg.discrete], dtype=_INT64))
    elif isinstance(space, (spaces.Box, spaces.MultiDiscrete, spaces.MultiBinary)):
        if msg.WhichOneof("kind") != "tensor":
            raise invalid_argument(f"{what} must be a tensor for {space}, got {_kind(msg)}")
        out.tensor.dtype = msg.tensor.dtype
        out.tensor.shape[:] = [1, *msg.tensor.shape]
        out.tensor.data = msg.tensor.data
    elif isinstance(space, spaces.Tuple):
        if msg.WhichOneof("kind") != "tuple" or len(msg.tuple.values) != len(space.spaces):
            raise invalid_argument(f"{what} must be a tuple of {len(space.spaces)} values for {space}")
        for sub, item in zip(space.spaces, msg.tuple.values, strict=True):
            out.tuple.values.append(_batch_of_one_message(sub, item, what))
    elif isinstance(space, spaces.Dict):
        if msg.WhichOneof("kind") != "dict":
            raise invalid_argument(f"{what} must be a dict for {space}, got {_kind(msg)}")
        by_key = {e.key: e.value for e in msg.dict.entries}
        for key, sub in space.spaces.items():
            if key not in by_key:
                raise invalid_argument(f"{what} lacks key {key!r} of {space}")
            out.dict.entries.add(key=key, value=_batch_of_one_message(sub, by_key[key], what))
        for key in by_key.keys() - space.spaces.keys():
            raise invalid_argument(f"{what} has key {shown(key)} that {space} does not have")
    elif isinstance(space, spaces.Text):
        if msg.WhichOneof("kind") != "text":
            raise invalid_argument(f"{what} must be text for {space}, got {_kind(msg)}")
        out.tuple.values.add(text=msg.text)
    elif isinstance(space, _PER_ENV_SPACES):
        out.tuple.values.append(msg)  # decode_batch checks the element
    else:
        raise UnconvertibleValue(f"space {space} is not part of gymlink.v1")
    return out


# --------------------------------------------------------------------------- batches


def batch_of_one(space: spaces.Space, x: Any) -> Any:
    """The batched layout of a single element (what a vector env of one would return)."""
    if isinstance(space, spaces.Discrete):
        return np.array([x], dtype=_INT64)
    if isinstance(space, (spaces.Box, spaces.MultiDiscrete, spaces.MultiBinary)):
        return np.asarray(x)[np.newaxis]
    if isinstance(space, spaces.Tuple):
        return tuple(batch_of_one(sub, item) for sub, item in zip(space.spaces, x, strict=True))
    if isinstance(space, spaces.Dict):
        return {key: batch_of_one(sub, x[key]) for key, sub in space.spaces.items()}
    if isinstance(space, _PER_ENV_SPACES):
        return (x,)
    raise UnconvertibleValue(f"space {space} is not part of gymlink.v1")


def first_of_batch(space: spaces.Space, batch: Any) -> Any:
    """Element 0 of a batch, as a single (non-vector) env takes it."""
    return element_of_batch(space, batch, 0)


def element_of_batch(space: spaces.Space, batch: Any, index: int) -> Any:
    if isinstance(space, spaces.Discrete):
        return np.int64(batch[index])
    if isinstance(space, (spaces.Box, spaces.MultiDiscrete, spaces.MultiBinary)):
        return batch[index, ...]  # keeps a 0-d array for scalar spaces, as their samples are
    if isinstance(space, spaces.Tuple):
        return tuple(element_of_batch(sub, item, index) for sub, item in zip(space.spaces, batch, strict=True))
    if isinstance(space, spaces.Dict):
        return {key: element_of_batch(sub, batch[key], index) for key, sub in space.spaces.items()}
    if isinstance(space, _PER_ENV_SPACES):
        return batch[index]
    raise UnconvertibleValue(f"space {space} is not part of gymlink.v1")


def encode_batch(space: spaces.Space, batch: Any, out: pb.Value | None = None) -> pb.Value:
    """The wire form of a batch laid out as ``batch_space(space, num_envs)`` lays it out."""
    msg = pb.Value() if out is None else out
    if isinstance(space, spaces.Box):
        fill_tensor(msg.tensor, batch)
    elif isinstance(space, spaces.Discrete):
        batch = np.asarray(batch)
        fill_tensor(msg.tensor, batch if batch.dtype == _INT64 else batch.astype(_INT64))
    elif isinstance(space, spaces.MultiDiscrete):
        fill_tensor(msg.tensor, np.asarray(batch).astype(_INT64, copy=False))
    elif isinstance(space, spaces.MultiBinary):
        fill_tensor(msg.tensor, np.asarray(batch).astype(_INT8, copy=False))
    elif isinstance(space, spaces.Tuple):
        for sub, item in zip(space.spaces, batch, strict=True):
            encode_batch(sub, item, msg.tuple.values.add())
    elif isinstance(space, spaces.Dict):
        for key, sub in space.spaces.items():
            encode_batch(sub, batch[key], msg.dict.entries.add(key=key).value)
    elif isinstance(space, _PER_ENV_SPACES):
        for element in batch:
            fill_element(msg.tuple.values.add(), space, element)
    else:
        raise UnconvertibleValue(f"space {space} is not part of gymlink.v1")
    return msg


def decode_batch(space: spaces.Space, msg: pb.Value, num_envs: int, what: str = "action", unit: str = "env") -> Any:
    """A batch of ``num_envs`` elements of ``space``, refused unless every element is in the space.

    Errors name the offending value, the env (or the ``unit``: a graph's node or edge) it belongs
    to and the space.
    """
    if isinstance(space, spaces.Discrete):
        tensor = msg.tensor if msg.WhichOneof("kind") == "tensor" else None
        data = tensor.data if tensor is not None else b""  # each read of a bytes field copies it
        if (
            tensor is not None
            and tensor.dtype == pb.DTYPE_INT64
            and len(tensor.shape) == 1
            and tensor.shape[0] == num_envs
            and len(data) == 8 * num_envs
        ):
            values = np.frombuffer(data, dtype=_INT64)  # the usual case, checked without the general path
        else:
            values = _integer_tensor(msg, space, (num_envs,), what, unit)
        start = int(space.start)
        low, high = (int(values[0]),) * 2 if num_envs == 1 else (int(values.min()), int(values.max()))
        if low < start or high >= start + int(space.n):
            i = int(np.flatnonzero((values < start) | (values >= start + int(space.n)))[0])
            raise invalid_argument(f"{what} {int(values[i])} of {unit} {i} is outside {space}")
        return values.astype(_INT64, copy=False)
    if isinstance(space, spaces.Box):
        return _box_batch(msg, space, num_envs, what, unit)
    if isinstance(space, spaces.MultiDiscrete):
        values = _integer_tensor(msg, space, (num_envs, *space.shape), what, unit)
        outside = (values < space.start) | (values >= space.start + space.nvec)
        _refuse_outside(outside, values, space, what, unit)
        return values.astype(space.dtype)
    if isinstance(space, spaces.MultiBinary):
        values = _integer_tensor(msg, space, (num_envs, *space.shape), what, unit, allow_bool=True)
        _refuse_outside((values != 0) & (values != 1), values, space, what, unit)
        return values.astype(space.dtype)
    if isinstance(space, spaces.Tuple):
        if msg.WhichOneof("kind") != "tuple" or len(msg.tuple.values) != len(space.spaces):
            raise invalid_argument(f"{what} must be a tuple of {len(space.spaces)} batched values for {space}")
        return tuple(
            decode_batch(sub, item, num_envs, f"{what}[{i}]", unit)
            for i, (sub, item) in enumerate(zip(space.spaces, msg.tuple.values, strict=True))
        )
    if isinstance(space, spaces.Dict):
        if msg.WhichOneof("kind") != "dict":
            raise invalid_argument(f"{what} must be a dict of batched values for {space}, got {_kind(msg)}")
        by_key = {e.key: e.value for e in msg.dict.entries}
        extra = sorted(by_key.keys() - space.spaces.keys())
        if extra:
            raise invalid_argument(f"{what} has keys {shown_list(extra)} that {space} does not have")
        result = {}
        for key, sub in space.spaces.items():
            if key not in by_key:
                raise invalid_argument(f"{what} lacks key {key!r} of {space}")
            result[key] = decode_batch(sub, by_key[key], num_envs, f"{what}[{key!r}]", unit)
        return result
    if isinstance(space, _PER_ENV_SPACES):
        if msg.WhichOneof("kind") != "tuple" or len(msg.tuple.values) != num_envs:
            raise invalid_argument(f"{what} must be a tuple of {num_envs} elements for {space}")
        return tuple(
            _decode_whole_element(space, item, f"{what} of {unit} {i}" if num_envs > 1 else what)
            for i, item in enumerate(msg.tuple.values)
        )
    raise UnconvertibleValue(f"space {space} is not part of gymlink.v1")


def _decode_whole_element(space: spaces.Space, msg: pb.Value, what: str) -> Any:
    """One element of a space whose batch is a tuple of elements (Text, Graph, Sequence, OneOf)."""
    kind = msg.WhichOneof("kind")
    if isinstance(space, spaces.Text):
        if kind != "text" or not space.contains(msg.text):
            raise invalid_argument(f"{what} {_short(msg)} is outside {space}")
        return msg.text
    if isinstance(space, spaces.Graph):
        if kind != "graph":
            raise invalid_argument(f"{what} must be a graph value for {space}, got {_kind(msg)}")
        return _decode_graph(space, msg.graph, what)
    if isinstance(space, spaces.Sequence):
        if kind != "tuple":
            raise invalid_argument(f"{what} must be a tuple of items for {space}, got {_kind(msg)}")
        items = [decode_element(space.feature_space, item, f"{what}[{i}]") for i, item in enumerate(msg.tuple.values)]
        if not space.stack:
            return tuple(items)
        stacked = create_empty_array(space.feature_space, len(items))
        return concatenate(space.feature_space, items, stacked) if items else stacked  # np.stack refuses no items
    if kind != "one_of":  # the last of _PER_ENV_SPACES: OneOf
        raise invalid_argument(f"{what} must be a one_of value for {space}, got {_kind(msg)}")
    index = msg.one_of.index
    if not 0 <= index < len(space.spaces):
        raise invalid_argument(f"{what} names space {index} of {space}, which has {len(space.spaces)}")
    return np.int64(index), decode_element(space.spaces[index], msg.one_of.value, f"{what}[1]")


def _decode_graph(space: spaces.Graph, msg: pb.GraphValue, what: str) -> spaces.GraphInstance:
    if not msg.HasField("nodes"):
        raise invalid_argument(f"{what} has no nodes tensor; {space} needs one")
    nodes = _decode_features(space, space.node_space, msg.nodes, f"{what} nodes", "node")
    if not msg.HasField("edges") and not msg.HasField("edge_links"):
        return spaces.GraphInstance(nodes, None, None)
    if space.edge_space is None:
        raise invalid_argument(f"{what} has edges, but {space} has no edge space")
    if not (msg.HasField("edges") and msg.HasField("edge_links")):
        present = "edges" if msg.HasField("edges") else "edge_links"
        raise invalid_argument(f"{what} has {present} without the other; {space} needs both or neither")
    edges = _decode_features(space, space.edge_space, msg.edges, f"{what} edges", "edge")
    link_msg = pb.Value(tensor=msg.edge_links)
    links = _integer_tensor(link_msg, space, (len(edges), 2), f"{what} edge_links", "edge")
    outside = (links < 0) | (links >= len(nodes))
    _refuse_outside(outside, links, space, f"{what} edge_links (of {len(nodes)} nodes)", "edge")
    return spaces.GraphInstance(nodes, edges, links.astype(np.int32))


def _decode_features(
    graph: spaces.Graph, space: spaces.Space, tensor: pb.Tensor, what: str, unit: str
) -> np.ndarray:
    """Node or edge features: a batch of ``space`` with one row per node or edge."""
    if len(tensor.shape) == 0:
        raise invalid_argument(f"{what} must have one row per {unit}, got a scalar tensor, for {graph}")
    return decode_batch(space, pb.Value(tensor=tensor), int(tensor.shape[0]), what, unit)


def _box_batch(msg: pb.Value, space: spaces.Box, num_envs: int, what: str, unit: str) -> np.ndarray:
    values = _tensor(msg, space, (num_envs, *space.shape), what, unit)
    if values.dtype != space.dtype:
        raise invalid_argument(f"{what} has dtype {values.dtype.name}, {space} needs {space.dtype.name}")
    if space.dtype.kind == "f":
        not_finite = ~np.isfinite(values)
        if not_finite.any():
            index = np.unravel_index(int(np.flatnonzero(not_finite)[0]), values.shape)
            raise invalid_argument(
                f"{what} value {values[index]} at index {list(map(int, index))} ({unit} {int(index[0])}) "
                f"is not finite; {space} takes finite numbers only"
            )
    _refuse_outside((values < space.low) | (values > space.high), values, space, what, unit)
    return values.copy()  # the decoded view is read-only; envs may write into their actions


def _refuse_outside(
    outside: np.ndarray, values: np.ndarray, space: spaces.Space, what: str, unit: str = "env"
) -> None:
    if outside.any():
        index = np.unravel_index(int(np.flatnonzero(outside)[0]), values.shape)
        raise invalid_argument(
            f"{what} value {values[index]} at index {list(map(int, index))} ({unit} {int(index[0])}) is outside {space}"
        )


def _tensor(msg: pb.Value, space: spaces.Space, shape: tuple[int, ...], what: str, unit: str) -> np.ndarray:
    if msg.WhichOneof("kind") != "tensor":
        raise invalid_argument(f"{what} must be a tensor of shape {list(shape)} for {space}, got {_kind(msg)}")
    values = decode_tensor(msg.tensor)
    if values.shape != shape:
        raise invalid_argument(
            f"{what} has shape {list(values.shape)}, expected {list(shape)} ({unit}s first) for {space}"
        )
    return values


def _integer_tensor(
    msg: pb.Value, space: spaces.Space, shape: tuple[int, ...], what: str, unit: str, allow_bool: bool = False
) -> np.ndarray:
    values = _tensor(msg, space, shape, what, unit)
    if not (values.dtype in _INTEGER_DTYPES or (allow_bool and values.dtype == np.bool_)):
        raise invalid_argument(f"{what} has dtype {values.dtype.name}, {space} needs integers (int64)")
    return values


def _kind(msg: pb.Value) -> str:
    return msg.WhichOneof("kind") or "an empty Value"


def _short(msg: pb.Value) -> str:
    return shorten(str(msg).replace("\n", " ").strip())


# --------------------------------------------------------------------------- plain Python values


def value_from_python(x: Any) -> pb.Value:
    """A kwarg, reset option or info entry; raises UnconvertibleValue for anything without a wire form."""
    msg = pb.Value()
    _fill_python(msg, x)
    return msg


def _fill_python(msg: pb.Value, x: Any) -> None:
    if isinstance(x, (bool, np.bool_)):
        msg.flag = bool(x)
    elif isinstance(x, (int, np.integer)):
        if not -(2**63) <= int(x) < 2**63:
            raise UnconvertibleValue(f"integer {x} does not fit int64")
        msg.discrete = int(x)
    elif isinstance(x, (float, np.floating)):
        msg.number = float(x)
    elif isinstance(x, str):
        msg.text = x
    elif isinstance(x, np.ndarray):
        fill_tensor(msg.tensor, x)
    elif isinstance(x, Mapping):
        for key, item in x.items():
            if not isinstance(key, str):
                raise UnconvertibleValue(f"dict key {key!r} is not a string")
            _fill_python(msg.dict.entries.add(key=key).value, item)
    elif isinstance(x, (list, tuple)):
        for item in x:
            _fill_python(msg.tuple.values.add(), item)
    else:
        raise UnconvertibleValue(f"{type(x).__name__} has no gymlink.v1 Value form")


def python_from_value(msg: pb.Value, limits: ValueLimits = DEFAULT_VALUE_LIMITS, what: str = "value") -> Any:
    """The Python value a kwarg or option message stands for (tuples come back as lists).

    Sizes are checked before anything is built, so an oversized value costs the server
    no more than its message did; errors name the place (``what``) and the limit's flag.
    """
    return _python_from_value(msg, limits, what, 1)


def python_from_map(entries: Mapping[str, pb.Value], limits: ValueLimits, what: str) -> dict[str, Any]:
    """A map of Values (Make.kwargs, Reset.options) as a dict, within ``limits``."""
    _check_items(len(entries), limits, what)
    result = {}
    for key, value in entries.items():
        _check_string(key, limits, f"a key of {what}")
        result[key] = _python_from_value(value, limits, f"{what}[{shown(key)}]", 1)
    return result


def _python_from_value(msg: pb.Value, limits: ValueLimits, what: str, depth: int) -> Any:
    kind = msg.WhichOneof("kind")
    if kind == "tensor":
        elements = math.prod(msg.tensor.shape) if all(dim >= 0 for dim in msg.tensor.shape) else 0
        _check_items(elements, limits, what)
        return decode_tensor(msg.tensor).copy()
    if kind == "discrete":
        return msg.discrete
    if kind == "number":
        return msg.number
    if kind == "flag":
        return msg.flag
    if kind == "text":
        _check_string(msg.text, limits, what)
        return msg.text
    if kind in ("tuple", "dict"):
        if depth > limits.max_depth:
            raise invalid_argument(
                f"{what} nests lists and dicts more than {limits.max_depth} deep "
                f"(server limit {FLAG_OF['max_depth']} {limits.max_depth})"
            )
        if kind == "tuple":
            _check_items(len(msg.tuple.values), limits, what)
            return [_python_from_value(v, limits, f"{what}[{i}]", depth + 1) for i, v in enumerate(msg.tuple.values)]
        _check_items(len(msg.dict.entries), limits, what)
        result = {}
        for entry in msg.dict.entries:
            _check_string(entry.key, limits, f"a key of {what}")
            result[entry.key] = _python_from_value(entry.value, limits, f"{what}[{shown(entry.key)}]", depth + 1)
        return result
    raise invalid_argument(f"{what} has no kind set")


def _check_items(count: int, limits: ValueLimits, what: str) -> None:
    if count > limits.max_items:
        raise RequestError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"{what} has {count} items, over the server limit of {limits.max_items} ({FLAG_OF['max_items']})",
        )


def _check_string(text: str, limits: ValueLimits, what: str) -> None:
    if len(text) > limits.max_string_chars:
        raise RequestError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"{what} is a string of {len(text)} chars, over the server limit of {limits.max_string_chars} "
            f"({FLAG_OF['max_string_chars']})",
        )


def fill_info(out: pb.Info, info: Mapping[Any, Any]) -> pb.Info:
    """Best-effort conversion of an info dict; keys that cannot travel are named in dropped_info_keys."""
    for key, item in info.items():
        if not isinstance(key, str):
            out.dropped_info_keys.append(repr(key))
            continue
        try:
            converted = value_from_python(item)
        except UnconvertibleValue:
            out.dropped_info_keys.append(key)
            continue
        out.entries[key].CopyFrom(converted)
    return out


def info_from_dict(info: Mapping[Any, Any]) -> pb.Info:
    return fill_info(pb.Info(), info)
