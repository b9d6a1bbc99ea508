"""A small lockstep Python client for one Session stream (tests, benchmarks, debugging).

The product's client is the Java one; this one exists so the server can be
exercised over a real channel from Python.
"""

from __future__ import annotations

import queue
from collections.abc import Mapping
from typing import Any

import grpc
import numpy as np

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc

_END = object()


class SessionError(Exception):
    """The server answered a request with an Error response (the session is still usable)."""

    def __init__(self, error: pb.Error) -> None:
        self.code = _status_code(error.code)
        super().__init__(f"{self.code.name}: {error.message}")
        self.message = error.message


class SessionClient:
    """Sends one request, waits for its response; the stream's gRPC errors surface as grpc.RpcError."""

    def __init__(self, channel: grpc.Channel, timeout_s: float | None = None) -> None:
        self._requests: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._responses = pb_grpc.EnvServiceStub(channel).Session(iter(self._requests.get, _END), timeout=timeout_s)
        self.made: pb.Made | None = None
        self.observation_space: Any = None
        self.action_space: Any = None

    def call(self, request: pb.SessionRequest) -> pb.SessionResponse:
        self._requests.put(request)
        return next(self._responses)

    def _expect(self, response: pb.SessionResponse, field: str) -> Any:
        kind = response.WhichOneof("response")
        if kind == "error":
            raise SessionError(response.error)
        if kind != field:
            raise AssertionError(f"expected {field}, got {kind}")
        return getattr(response, field)

    def make(self, env_id: str, **fields: Any) -> pb.Made:
        kwargs = fields.pop("kwargs", {})
        make = pb.Make(env_id=env_id, **fields)
        for key, value in kwargs.items():
            make.kwargs[key].CopyFrom(codec.value_from_python(value))
        self.made = self._expect(self.call(pb.SessionRequest(make=make)), "made")
        self.observation_space = codec.space_from_proto(self.made.observation_space)
        self.action_space = codec.space_from_proto(self.made.action_space)
        return self.made

    def reset(self, seed: int | None = None, options: Mapping[str, Any] | None = None) -> pb.ResetResult:
        reset = pb.Reset(seed=seed) if seed is not None else pb.Reset()
        for key, value in (options or {}).items():
            reset.options[key].CopyFrom(codec.value_from_python(value))
        return self._expect(self.call(pb.SessionRequest(reset=reset)), "reset_result")

    def step_value(self, actions: pb.Value) -> pb.StepResult:
        return self._expect(self.call(pb.SessionRequest(step=pb.Step(actions=actions))), "step_result")

    def step(self, actions: Any) -> pb.StepResult:
        """Steps with a batch laid out as Gymnasium's batched action space."""
        return self.step_value(codec.encode_batch(self.action_space, actions))

    def render(self, env_index: int = 0) -> np.ndarray:
        frame = self._expect(self.call(pb.SessionRequest(render=pb.Render(env_index=env_index))), "frame")
        return codec.decode_tensor(frame.rgb)

    def close(self) -> pb.Closed:
        closed = self._expect(self.call(pb.SessionRequest(close=pb.Close())), "closed")
        self._requests.put(_END)
        return closed

    def cancel(self) -> None:
        """Drops the stream the way a crashed client would."""
        self._responses.cancel()


# --------------------------------------------------------------------------- hand-built messages
# What a hostile or buggy client could send and no protobuf library would build (tests and the soak).


def field_bytes(field_number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field (wire type 2)."""
    return _varint(field_number << 3 | 2) + _varint(len(payload)) + payload


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def make_request_bytes(env_id: str, kwargs: dict[str, bytes] | None = None) -> bytes:
    """A SessionRequest{make} whose kwargs are given as serialized Value bytes (Make.env_id = 1, kwargs = 7)."""
    make = field_bytes(1, env_id.encode())
    for key, value in (kwargs or {}).items():
        make += field_bytes(7, field_bytes(1, key.encode()) + field_bytes(2, value))
    return field_bytes(1, make)


def nested_value_bytes(depth: int) -> bytes:
    """A Value holding a tuple holding a Value... ``depth`` levels down to discrete=1 (Value.tuple = 3)."""
    value = b"\x10\x01"
    for _ in range(depth):
        value = field_bytes(3, field_bytes(1, value))
    return value


def _status_code(number: int) -> grpc.StatusCode:
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN
