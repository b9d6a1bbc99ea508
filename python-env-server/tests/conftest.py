from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import grpc
import gymnasium as gym
import numpy as np
import pytest
import structured_envs

from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server.client import SessionClient
from gymlink_server.config import ServerConfig
from gymlink_server.server import ServerThread

EXPLODING_ENV_ID = "GymlinkTest/Exploding-v0"


class ExplodingEnv(gym.Env):
    """Raises on its third step: stands in for an env with a bug."""

    observation_space = gym.spaces.Box(-1.0, 1.0, (2,), np.float32)
    action_space = gym.spaces.Discrete(2)

    def __init__(self) -> None:
        self._steps = 0

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self._steps = 0
        return np.zeros(2, np.float32), {}

    def step(self, action):
        self._steps += 1
        if self._steps == 3:
            raise ZeroDivisionError("simulated bug in the env")
        return np.zeros(2, np.float32), 0.0, False, False, {}


class SlowEnv(ExplodingEnv):
    """Takes 30 ms per step, like a heavy simulator."""

    def step(self, action):
        time.sleep(0.03)
        return np.zeros(2, np.float32), 0.0, False, False, {}


SLOW_ENV_ID = "GymlinkTest/Slow-v0"

if EXPLODING_ENV_ID not in gym.registry:
    gym.register(EXPLODING_ENV_ID, entry_point=ExplodingEnv)
    gym.register(SLOW_ENV_ID, entry_point=SlowEnv)
structured_envs.register()


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(ServerConfig(port=0, shutdown_grace_s=1.0)) as running:
        yield running


@pytest.fixture()
def channel(server: ServerThread) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(server.address) as ch:
        yield ch


@pytest.fixture()
def open_session(channel: grpc.Channel) -> Iterator[Callable[[], SessionClient]]:
    clients: list[SessionClient] = []

    def open_one() -> SessionClient:
        client = SessionClient(channel, timeout_s=60)
        clients.append(client)
        return client

    yield open_one
    for client in clients:
        client.cancel()


def raw_session(channel: grpc.Channel) -> grpc.StreamStreamMultiCallable:
    """The Session method taking requests as bytes: lets a test send what no protobuf library would build."""
    return channel.stream_stream(
        "/gymlink.v1.EnvService/Session",
        request_serializer=lambda data: data,
        response_deserializer=pb.SessionResponse.FromString,
    )


def run_raw_session(
    channel: grpc.Channel, requests: list[bytes], timeout_s: float = 30.0
) -> tuple[list[pb.SessionResponse], grpc.StatusCode, str]:
    """Sends ``requests`` on one stream, half-closes it; the responses, the final status and its details."""
    responses: list[pb.SessionResponse] = []
    call = raw_session(channel)(iter(requests), timeout=timeout_s)
    try:
        for response in call:
            responses.append(response)
    except grpc.RpcError as error:
        return responses, error.code(), error.details() or ""
    return responses, call.code(), call.details() or ""


def active_sessions(channel: grpc.Channel) -> int:
    return pb_grpc.EnvServiceStub(channel).ListEnvs(pb.ListEnvsRequest(), timeout=10).server.active_sessions


def wait_for_active_sessions(channel: grpc.Channel, expected: int, timeout_s: float = 10.0) -> int:
    deadline = time.monotonic() + timeout_s
    count = active_sessions(channel)
    while count != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        count = active_sessions(channel)
    return count
