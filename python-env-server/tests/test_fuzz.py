"""Hypothesis attacks the wire codec and whole Session streams with random messages.

Whatever a client sends, the answer is a specific status (INVALID_ARGUMENT, RESOURCE_EXHAUSTED,
NOT_FOUND, ...), never UNKNOWN or INTERNAL, and no stream leaves a session open behind it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator

import grpc
import numpy as np
import pytest
from conftest import run_raw_session, wait_for_active_sessions
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_codec import any_space

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import values_pb2 as vpb
from gymlink_server.catalog import EnvCatalog
from gymlink_server.client import make_request_bytes, nested_value_bytes
from gymlink_server.config import ServerConfig, ValueLimits
from gymlink_server.errors import RequestError
from gymlink_server.server import ServerThread
from gymlink_server.service import MalformedRequest, tolerant_parser

FAULT_CODES = {grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL}
FAULT_NUMBERS = {code.value[0] for code in FAULT_CODES}
# GYMLINK_FUZZ_EXAMPLES=3000 for a long hunt; the default keeps the suite quick on two cores.
FUZZ = settings(
    max_examples=int(os.environ.get("GYMLINK_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# ------------------------------------------------------------------ strategies: what a client could send

DTYPE_CODES = st.one_of(st.sampled_from(list(vpb.DType.values())), st.integers(-3, 40))
shapes = st.lists(st.one_of(st.integers(0, 4), st.integers(-2, 2**40)), max_size=4)


@st.composite
def tensors(draw) -> vpb.Tensor:
    tensor = vpb.Tensor(dtype=draw(DTYPE_CODES), shape=draw(shapes))
    if draw(st.booleans()) and tensor.dtype in codec._DTYPES and all(0 <= d <= 4 for d in tensor.shape):
        size = math.prod(tensor.shape) * codec._DTYPES[tensor.dtype].itemsize  # a matching byte length
        tensor.data = draw(st.binary(min_size=size, max_size=size))
    else:
        tensor.data = draw(st.binary(max_size=64))
    return tensor


leaf_values = st.one_of(
    tensors().map(lambda t: vpb.Value(tensor=t)),
    st.integers(-(2**63), 2**63 - 1).map(lambda n: vpb.Value(discrete=n)),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: vpb.Value(number=x)),
    st.booleans().map(lambda b: vpb.Value(flag=b)),
    st.text(max_size=20).map(lambda s: vpb.Value(text=s)),
    st.just(vpb.Value()),
)


def _tuple(items: list[vpb.Value]) -> vpb.Value:
    value = vpb.Value()
    value.tuple.values.extend(items)
    return value


def _dict(entries: list[tuple[str, vpb.Value]]) -> vpb.Value:
    value = vpb.Value()
    for key, item in entries:
        value.dict.entries.add(key=key).value.CopyFrom(item)
    return value


values = st.recursive(
    leaf_values,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(_tuple),
        st.lists(st.tuples(st.sampled_from(["a", "b", "low", "", "obs"]), children), max_size=4).map(_dict),
    ),
    max_leaves=8,
)

python_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=5), children)),
    max_leaves=6,
)

# ------------------------------------------------------------------ the codec


@FUZZ
@given(space=any_space, value=values, num_envs=st.integers(1, 3))
def test_decoding_any_value_for_any_space_is_refused_or_accepted_never_crashes(space, value, num_envs):
    for decode in (lambda: codec.decode_batch(space, value, num_envs), lambda: codec.decode_element(space, value)):
        try:
            decode()
        except RequestError as error:
            assert error.code == grpc.StatusCode.INVALID_ARGUMENT, error.message


@FUZZ
@given(
    value=values,
    limits=st.builds(
        ValueLimits, max_string_chars=st.integers(1, 8), max_items=st.integers(1, 5), max_depth=st.integers(1, 3)
    ),
)
def test_kwarg_values_decode_within_limits_or_are_refused(value, limits):
    try:
        codec.python_from_value(value, limits)
    except RequestError as error:
        assert error.code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED), error.message


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.integers(0, 80).map(lambda depth: make_request_bytes("x", {"k": nested_value_bytes(depth)})),
    )
)
def test_any_bytes_parse_to_a_request_or_a_malformed_marker(data):
    parsed = tolerant_parser(pb.SessionRequest)(data)
    assert isinstance(parsed, (pb.SessionRequest, MalformedRequest))


@pytest.fixture(scope="module")
def catalog() -> EnvCatalog:
    return EnvCatalog()


@FUZZ
@given(data=st.data())
def test_kwarg_rules_refuse_with_a_request_error_or_accept(catalog, data):
    entry = data.draw(st.sampled_from(catalog.entries))
    if not entry.params:
        return
    name = data.draw(st.sampled_from(sorted(entry.params)))
    try:
        entry.params[name].check(data.draw(python_values), entry.env_id, max_map_cells=64)
    except RequestError as error:
        assert error.code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED)


# ------------------------------------------------------------------ whole Session streams

ENV_IDS = ["CartPole-v1", "FrozenLake-v1", "Pendulum-v1", "Taxi-v4", "Blackjack-v1"]
BAD_ENV_IDS = ["", "os:system", "Nope-v9", "CartPole-v1 ", "x" * 5000]
KWARG_NAMES = ["is_slippery", "desc", "map_name", "g", "sutton_barto_reward", "rainy_probability", "natural", "evil"]


@st.composite
def makes(draw, plausible: bool = False) -> bytes:
    """Any Make, or (``plausible``) one that mostly opens a session, so that what follows it is reached."""
    if plausible:
        make = pb.Make(env_id=draw(st.sampled_from(ENV_IDS)), num_envs=draw(st.integers(0, 3)))
        make.autoreset_mode = draw(st.integers(0, 2))
        if draw(st.booleans()):
            make.seed = draw(st.integers(0, 2**32))
        if draw(st.integers(0, 5)) == 0:
            make.render_mode = "rgb_array"
        if draw(st.booleans()):
            make.max_episode_steps = draw(st.integers(1, 5))
        kwarg_count = draw(st.sampled_from([0, 0, 0, 1]))
    else:
        make = pb.Make(env_id=draw(st.one_of(st.sampled_from(ENV_IDS + BAD_ENV_IDS), st.text(max_size=12))))
        make.num_envs = draw(st.integers(-1, 3))
        make.autoreset_mode = draw(st.integers(0, 3))
        if draw(st.booleans()):
            make.seed = draw(st.integers(-2, 2**63 - 1))
        if draw(st.integers(0, 4)) == 0:
            make.render_mode = draw(st.sampled_from(["rgb_array", "human", ""]))
        if draw(st.booleans()):
            make.max_episode_steps = draw(st.integers(-1, 5))
        kwarg_count = 2
    make.vector = draw(st.booleans())
    for name in draw(st.lists(st.sampled_from(KWARG_NAMES), max_size=kwarg_count, unique=True)):
        make.kwargs[name].CopyFrom(draw(values))
    return pb.SessionRequest(make=make).SerializeToString()


@st.composite
def resets(draw) -> bytes:
    reset = pb.Reset()
    if draw(st.booleans()):
        reset.seed = draw(st.integers(-2, 2**63 - 1))
    for name in draw(st.lists(st.sampled_from(["low", "high", "x_init", "junk"]), max_size=2, unique=True)):
        reset.options[name].CopyFrom(draw(values))
    return pb.SessionRequest(reset=reset).SerializeToString()


@st.composite
def steps(draw) -> bytes:
    if draw(st.booleans()):  # a plausible discrete action for 1..3 envs, so that envs really step
        actions = codec.encode_tensor(np.array(draw(st.lists(st.integers(-1, 6), min_size=1, max_size=3))))
        value = vpb.Value(tensor=actions)
    else:
        value = draw(values)
    return pb.SessionRequest(step=pb.Step(actions=value)).SerializeToString()


def corrupted(data: bytes, position: int, byte: int) -> bytes:
    if not data:
        return bytes([byte])
    position %= len(data)
    return data[:position] + bytes([byte]) + data[position + 1 :]


requests = st.one_of(
    resets(),
    steps(),
    steps(),
    st.integers(-1, 3).map(lambda i: pb.SessionRequest(render=pb.Render(env_index=i)).SerializeToString()),
    st.just(pb.SessionRequest(close=pb.Close()).SerializeToString()),
    st.just(b""),  # an empty request
    st.binary(max_size=40),
    st.builds(corrupted, makes(), st.integers(0, 1000), st.integers(0, 255)),
    makes(),
)


@pytest.fixture(scope="module")
def fuzzed_server() -> Iterator[grpc.Channel]:
    config = ServerConfig(port=0, max_num_envs=3, max_map_cells=64, shutdown_grace_s=1.0)
    with ServerThread(config) as server, grpc.insecure_channel(server.address) as channel:
        yield channel


@st.composite
def streams(draw) -> list[bytes]:
    """Mostly a make that opens a session followed by anything; sometimes anything from the start."""
    first = draw(makes(plausible=True) if draw(st.integers(0, 3)) else requests)
    return [first, *draw(st.lists(requests, max_size=8))]


@FUZZ
@given(stream=streams())
def test_random_session_streams_get_specific_statuses_and_leave_no_session(fuzzed_server, stream):
    responses, code, details = run_raw_session(fuzzed_server, stream)
    event(f"stream ended {code.name}")  # pytest --hypothesis-show-statistics shows what the fuzz reached
    event(f"{min(len(responses), 3)}+ responses")
    assert code not in FAULT_CODES, details
    for response in responses:
        if response.WhichOneof("response") == "error":
            assert response.error.code not in FAULT_NUMBERS, response.error.message
    assert wait_for_active_sessions(fuzzed_server, 0) == 0
