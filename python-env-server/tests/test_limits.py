"""Every operator limit: a request past it gets its status and a message naming the limit's flag."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import grpc
import numpy as np
import pytest
from conftest import active_sessions, raw_session, run_raw_session, wait_for_active_sessions

from gymlink_server import codec
from gymlink_server._proto import values_pb2 as vpb
from gymlink_server.cli import parse_args
from gymlink_server.client import SessionClient, SessionError, field_bytes, make_request_bytes, nested_value_bytes
from gymlink_server.config import FLAG_OF, MiB, ServerConfig, ValueLimits
from gymlink_server.server import SERVER_OPTIONS, ServerThread

# GymlinkChannels.KEEPALIVE_TIME on the Java side: it pings this often while a session is open.
JAVA_CLIENT_KEEPALIVE_S = 300


def refusal(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


@pytest.fixture()
def limited(request) -> Iterator[grpc.Channel]:
    """A channel to a server made with the ServerConfig fields that ``with_config`` names."""
    with ServerThread(ServerConfig(port=0, **request.param)) as server, grpc.insecure_channel(server.address) as ch:
        yield ch


def with_config(**fields):
    return pytest.mark.parametrize("limited", [fields], indirect=True)


def test_every_flag_sets_its_setting():
    config, _ = parse_args(
        [
            *(FLAG_OF["max_sessions"], "3", FLAG_OF["max_num_envs"], "5", FLAG_OF["max_total_envs"], "7"),
            *(FLAG_OF["max_map_cells"], "16", FLAG_OF["max_string_chars"], "9", FLAG_OF["max_items"], "11"),
            *(FLAG_OF["max_depth"], "2", FLAG_OF["make_timeout_s"], "1.5", FLAG_OF["keepalive_time_s"], "30"),
            *(FLAG_OF["keepalive_timeout_s"], "5", FLAG_OF["max_message_bytes"], str(8 * MiB)),
        ]
    )
    assert (config.max_sessions, config.max_num_envs, config.max_total_envs, config.max_map_cells) == (3, 5, 7, 16)
    assert config.value_limits == ValueLimits(max_string_chars=9, max_items=11, max_depth=2)
    assert (config.make_timeout_s, config.keepalive_time_s, config.keepalive_timeout_s) == (1.5, 30.0, 5.0)
    assert config.max_message_bytes == 8 * MiB


def test_defaults_bound_a_message_to_4_mib_and_a_silent_stream_to_10_s():
    defaults = ServerConfig()
    assert defaults.max_message_bytes == 4 * MiB
    assert defaults.make_timeout_s == 10
    assert defaults.keepalive_time_s + defaults.keepalive_timeout_s <= 60


# ------------------------------------------------------------------ sessions and env copies


@with_config(max_sessions=2, make_timeout_s=0)
def test_streams_without_make_hold_a_session_slot(limited):
    waiting = [raw_session(limited)(iter(threading.Event().wait, True), timeout=30) for _ in range(2)]
    assert wait_for_active_sessions(limited, 2) == 2
    error = refusal(lambda: SessionClient(limited).make("CartPole-v1"))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "2 of 2" in error.details() and "--max-sessions" in error.details()
    for call in waiting:
        call.cancel()
    assert wait_for_active_sessions(limited, 0) == 0
    SessionClient(limited).make("CartPole-v1")


@with_config(make_timeout_s=0.3)
def test_a_stream_that_never_sends_make_is_closed_after_the_make_timeout(limited):
    started = time.monotonic()
    responses, code, details = run_raw_session_silently(limited)
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED and not responses
    assert "no make" in details and "--make-timeout 0.3" in details
    assert time.monotonic() - started < 20
    assert wait_for_active_sessions(limited, 0) == 0


def run_raw_session_silently(channel: grpc.Channel) -> tuple[list, grpc.StatusCode, str]:
    """Opens a stream and sends nothing, as a stalled or hostile client would."""
    call = raw_session(channel)(iter(threading.Event().wait, True), timeout=30)
    try:
        return list(call), call.code(), call.details()
    except grpc.RpcError as error:
        return [], error.code(), error.details()


@with_config(max_total_envs=10)
def test_total_env_copies_are_capped_over_all_sessions(limited):
    first, second = SessionClient(limited), SessionClient(limited)
    first.make("CartPole-v1", num_envs=6)
    error = refusal(lambda: SessionClient(limited).make("CartPole-v1", num_envs=5))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "11 env copies" in error.details() and "--max-total-envs" in error.details()
    second.make("CartPole-v1", num_envs=4)  # exactly at the limit
    first.close()
    assert wait_for_active_sessions(limited, 1) == 1
    SessionClient(limited).make("CartPole-v1", num_envs=6)  # the closed session's copies are free again


@with_config(max_num_envs=4)
def test_num_envs_per_session_names_its_flag(limited):
    error = refusal(lambda: SessionClient(limited).make("CartPole-v1", num_envs=5))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "--max-num-envs" in error.details()


# ------------------------------------------------------------------ kwargs


@with_config(max_map_cells=64)
def test_frozen_lake_map_size_is_bounded(limited):
    SessionClient(limited).make("FrozenLake-v1", kwargs={"desc": ["S" + "F" * 7] + ["F" * 7 + "G"] * 7})  # 8x8
    error = refusal(lambda: SessionClient(limited).make("FrozenLake-v1", kwargs={"desc": ["SF" * 5] * 10}))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "10x10 map" in error.details() and "--max-map-cells" in error.details()
    for bad_map in (["SFX", "FFG"], ["SFF", "FG"], ["FFF", "FFG"]):
        error = refusal(lambda: SessionClient(limited).make("FrozenLake-v1", kwargs={"desc": bad_map}))  # noqa: B023
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, bad_map


@with_config(value_limits=ValueLimits(max_string_chars=8, max_items=5, max_depth=2))
def test_kwarg_strings_lists_and_nesting_are_bounded(limited):
    error = refusal(lambda: SessionClient(limited).make("FrozenLake-v1", kwargs={"map_name": "x" * 9}))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "--max-kwarg-string-chars" in error.details()
    error = refusal(lambda: SessionClient(limited).make("FrozenLake-v1", kwargs={"desc": ["SFG"] * 6}))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "6 items" in error.details()
    assert "--max-kwarg-items" in error.details()
    error = refusal(lambda: SessionClient(limited).make("FrozenLake-v1", kwargs={"desc": [[["S"]]]}))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "--max-kwarg-depth" in error.details()


@with_config(value_limits=ValueLimits(max_items=5))
def test_reset_options_share_the_kwarg_bounds(limited):
    client = SessionClient(limited)
    client.make("CartPole-v1")
    with pytest.raises(SessionError) as caught:
        client.reset(options={"low": [0.0] * 6})
    assert caught.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED and "--max-kwarg-items" in caught.value.message
    client.reset(seed=0)


def test_kwarg_values_must_have_the_constructor_type(open_session):
    cases = [
        ("FrozenLake-v1", {"is_slippery": "no"}, "must be a bool"),
        ("FrozenLake-v1", {"is_slippery": 1}, "must be a bool"),
        ("CartPole-v1", {"sutton_barto_reward": "yes"}, "must be a bool"),
        ("Pendulum-v1", {"g": "ten"}, "must be a number"),
        ("Pendulum-v1", {"g": True}, "must be a number"),
        ("Pendulum-v1", {"g": float("inf")}, "finite"),
        ("FrozenLake-v1", {"map_name": 4}, "must be a str"),
        ("FrozenLake-v1", {"desc": "SFFG"}, "list[str]"),
        ("FrozenLake-v1", {"reward_schedule": [1, 0]}, "tuple[int, int, int]"),
        ("Blackjack-v1", {"natural": "false"}, "must be a bool"),
    ]
    for env_id, kwargs, expected in cases:
        error = refusal(lambda: open_session().make(env_id, kwargs=kwargs))  # noqa: B023
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (env_id, kwargs)
        assert expected in error.details(), error.details()
    open_session().make("Pendulum-v1", kwargs={"g": 9})  # an int is a number
    open_session().make("FrozenLake-v1", kwargs={"is_slippery": False, "reward_schedule": [2, -1, 0]})


def test_kwarg_numbers_must_be_in_the_range_the_env_documents(open_session):
    cases = [
        ("Taxi-v4", {"rainy_probability": 5.0}, "[0, 1]"),
        ("Taxi-v4", {"fickle_probability": -0.1}, "[0, 1]"),
        ("FrozenLake-v1", {"success_rate": 1.5}, "[0, 1]"),
        ("LunarLander-v3", {"gravity": 0.0}, "(-12, 0)"),
        ("LunarLander-v3", {"wind_power": 25.0}, "[0, 20]"),
    ]
    for env_id, kwargs, expected in cases:
        error = refusal(lambda: open_session().make(env_id, kwargs=kwargs))  # noqa: B023
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (env_id, kwargs)
        assert expected in error.details() and str(next(iter(kwargs))) in error.details()
    open_session().make("Taxi-v4", kwargs={"is_rainy": True, "rainy_probability": 1.0})


# ------------------------------------------------------------------ messages


@with_config(max_message_bytes=64 * 1024)
def test_message_cap_applies_to_make_too(limited):
    oversized = make_request_bytes("CartPole-v1", {"sutton_barto_reward": field_bytes(5, b"x" * 70_000)})
    _, code, details = run_raw_session(limited, [oversized])
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED, details
    assert wait_for_active_sessions(limited, 0) == 0


def test_default_message_cap_refuses_a_5_mib_action():
    with ServerThread(ServerConfig(port=0)) as server:
        options = [("grpc.max_send_message_length", 8 * MiB)]
        with grpc.insecure_channel(server.address, options=options) as channel:
            client = SessionClient(channel)
            client.make("CartPole-v1")
            client.reset()
            huge = vpb.Value(tensor=codec.encode_tensor(np.zeros(5 * MiB // 4, np.float32)))
            assert refusal(lambda: client.step_value(huge)).code() == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_nesting_past_protobufs_depth_limit_is_invalid_argument(channel):
    request = make_request_bytes("CartPole-v1", {"sutton_barto_reward": nested_value_bytes(60)})
    _, code, details = run_raw_session(channel, [request])
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "malformed SessionRequest" in details


# ------------------------------------------------------------------ keepalive


class FreezableProxy:
    """A TCP relay that can stop relaying without closing anything: a client whose network vanished."""

    def __init__(self, target_port: int) -> None:
        self._target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.frozen = threading.Event()
        self._sockets: list[socket.socket] = [self._listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self._target_port))
            self._sockets += [client, upstream]
            threading.Thread(target=self._relay, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._relay, args=(upstream, client), daemon=True).start()

    def _relay(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.frozen.is_set():
                    self.frozen.wait()
                    return  # drop everything from now on, keep the sockets open
                sink.sendall(data)
        except OSError:
            return

    def close(self) -> None:
        for sock in self._sockets:
            sock.close()


def test_a_client_that_vanishes_without_closing_frees_its_slot_after_the_keepalive_timeout():
    config = ServerConfig(port=0, keepalive_time_s=0.5, keepalive_timeout_s=0.5, idle_timeout_s=600)
    with ServerThread(config) as server, grpc.insecure_channel(server.address) as direct:
        proxy = FreezableProxy(server.port)
        try:
            with grpc.insecure_channel(f"127.0.0.1:{proxy.port}") as through_proxy:
                client = SessionClient(through_proxy, timeout_s=60)
                client.make("CartPole-v1")
                client.reset(seed=0)
                assert active_sessions(direct) == 1
                proxy.frozen.set()
                assert wait_for_active_sessions(direct, 0, timeout_s=20) == 0
                client.cancel()
        finally:
            proxy.close()


def test_client_pings_as_often_as_the_java_clients_are_never_too_many():
    options = dict(SERVER_OPTIONS)
    assert options["grpc.http2.min_ping_interval_without_data_ms"] <= JAVA_CLIENT_KEEPALIVE_S * 1000 / 2
    assert options["grpc.keepalive_permit_without_calls"] == 1
