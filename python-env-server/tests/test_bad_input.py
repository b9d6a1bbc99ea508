"""Bad input gets a specific status; a bad request never takes the session or the server down."""

from __future__ import annotations

import time

import grpc
import numpy as np
import pytest
from conftest import SLOW_ENV_ID, active_sessions, run_raw_session, wait_for_active_sessions

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import values_pb2 as vpb
from gymlink_server.client import SessionClient, SessionError
from gymlink_server.config import ServerConfig
from gymlink_server.server import ServerThread


def stream_status(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def request_error(call) -> SessionError:
    with pytest.raises(SessionError) as caught:
        call()
    return caught.value


# ------------------------------------------------------------------ env ids


def test_unknown_env_id_is_not_found_with_close_matches(open_session):
    error = stream_status(lambda: open_session().make("CartPole-v2"))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "'CartPole-v2'" in error.details() and "CartPole-v1" in error.details()


def test_a_100_kb_env_id_is_not_found_with_the_id_cut_short(open_session):
    error = stream_status(lambda: open_session().make("CartPole-v1" + "x" * 100_000))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "(100011 chars)" in error.details() and len(error.details()) < 200


def test_module_syntax_is_permission_denied(open_session):
    for env_id in ("os:system", "gymnasium.envs.classic_control:CartPoleEnv", "builtins:eval"):
        client = open_session()
        error = stream_status(lambda: client.make(env_id))  # noqa: B023 (called right here)
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED, env_id
        assert "module:Env" in error.details()


def test_env_outside_the_allowlist_is_permission_denied():
    with (
        ServerThread(ServerConfig(port=0, allow_env=("CartPole-*",))) as server,
        grpc.insecure_channel(server.address) as channel,
    ):
        error = stream_status(lambda: SessionClient(channel).make("Pendulum-v1"))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "allowlist" in error.details()
        SessionClient(channel).make("CartPole-v0")  # on the list


def test_unknown_kwargs_are_refused_by_name(open_session):
    error = stream_status(lambda: open_session().make("CartPole-v1", kwargs={"gravity": 3.0, "evil": "x"}))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "['evil', 'gravity']" in error.details() and "sutton_barto_reward" in error.details()


def test_kwarg_value_the_env_rejects_is_invalid_argument(open_session):
    error = stream_status(lambda: open_session().make("FrozenLake-v1", kwargs={"map_name": "9x9"}))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "['map_name']" in error.details() and "KeyError" in error.details()


def test_reserved_kwargs_must_use_make_fields(open_session):
    error = stream_status(lambda: open_session().make("CartPole-v1", kwargs={"render_mode": "human"}))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "render_mode" in error.details()


def test_render_mode_other_than_rgb_array_is_refused(open_session):
    error = stream_status(lambda: open_session().make("CartPole-v1", render_mode="human"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "'human'" in error.details()


def test_first_request_must_be_make(open_session):
    client = open_session()
    error = stream_status(lambda: client.call(pb.SessionRequest(reset=pb.Reset())))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION and "first request" in error.details()


# ------------------------------------------------------------------ actions


@pytest.fixture()
def cartpole(open_session) -> SessionClient:
    client = open_session()
    client.make("CartPole-v1")
    client.reset(seed=0)
    return client


def test_action_outside_space_is_invalid_and_the_session_keeps_working(cartpole):
    error = request_error(lambda: cartpole.step_value(codec.encode_batch(cartpole.action_space, np.array([5]))))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "5" in error.message and "Discrete(2)" in error.message
    assert cartpole.step(np.array([1])).rewards[0] == 1.0


def test_action_with_wrong_shape_is_invalid(cartpole):
    error = request_error(lambda: cartpole.step_value(codec.encode_batch(cartpole.action_space, np.array([0, 1]))))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "shape [2], expected [1]" in error.message and "Discrete(2)" in error.message
    scalar = vpb.Value(discrete=1)  # an unbatched action
    assert request_error(lambda: cartpole.step_value(scalar)).code == grpc.StatusCode.INVALID_ARGUMENT
    cartpole.step(np.array([0]))


def test_action_with_float_dtype_for_discrete_is_invalid(cartpole):
    value = vpb.Value(tensor=codec.encode_tensor(np.array([1.0])))
    error = request_error(lambda: cartpole.step_value(value))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT and "float64" in error.message


def test_nan_in_box_action_is_invalid(open_session):
    client = open_session()
    client.make("Pendulum-v1")
    client.reset(seed=0)
    error = request_error(lambda: client.step(np.array([[np.nan]], np.float32)))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "nan" in error.message and "Box(-2.0, 2.0, (1,), float32)" in error.message
    error = request_error(lambda: client.step(np.array([[np.inf]], np.float32)))
    assert "inf" in error.message
    error = request_error(lambda: client.step(np.array([[3.0]], np.float32)))
    assert "3.0" in error.message and "outside" in error.message
    client.step(np.array([[1.0]], np.float32))


def test_step_before_reset_is_failed_precondition(open_session):
    client = open_session()
    client.make("CartPole-v1", num_envs=2)
    error = request_error(lambda: client.step(np.zeros(2, np.int64)))
    assert error.code == grpc.StatusCode.FAILED_PRECONDITION and "before reset" in error.message
    client.reset()
    client.step(np.zeros(2, np.int64))


def test_render_needs_render_mode_and_a_reset(open_session):
    client = open_session()
    client.make("CartPole-v1")
    assert request_error(lambda: client.render()).code == grpc.StatusCode.FAILED_PRECONDITION
    client = open_session()
    client.make("CartPole-v1", render_mode="rgb_array")
    assert "before reset" in request_error(lambda: client.render()).message
    client.reset()
    assert request_error(lambda: client.render(3)).code == grpc.StatusCode.INVALID_ARGUMENT


def test_second_make_and_empty_request_are_request_errors(cartpole):
    error = request_error(
        lambda: cartpole._expect(cartpole.call(pb.SessionRequest(make=pb.Make(env_id="CartPole-v1"))), "made")
    )
    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    error = request_error(lambda: cartpole._expect(cartpole.call(pb.SessionRequest()), "made"))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    cartpole.step(np.array([0]))


def test_reset_options_the_env_rejects_are_invalid_argument(cartpole):
    error = request_error(lambda: cartpole.reset(options={"low": "abc"}))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "reset options ['low']" in error.message and "abc" in error.message
    cartpole.reset(seed=0)
    cartpole.step(np.array([0]))


def test_corrupt_bytes_first_end_the_stream_with_invalid_argument(channel):
    _, code, details = run_raw_session(channel, [b"\x0a\xff\xff\xff\x07"])
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "malformed SessionRequest" in details
    assert wait_for_active_sessions(channel, 0) == 0


def test_corrupt_bytes_in_a_session_are_an_error_response_and_the_session_goes_on(channel):
    make = pb.SessionRequest(make=pb.Make(env_id="CartPole-v1")).SerializeToString()
    reset = pb.SessionRequest(reset=pb.Reset(seed=0)).SerializeToString()
    responses, code, _ = run_raw_session(channel, [make, b"\xff\xff", reset])
    assert code == grpc.StatusCode.OK
    assert [r.WhichOneof("response") for r in responses] == ["made", "error", "reset_result"]
    assert responses[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]


def test_negative_seed_is_invalid(cartpole):
    assert request_error(lambda: cartpole.reset(seed=-1)).code == grpc.StatusCode.INVALID_ARGUMENT
    cartpole.reset(seed=1)


# ------------------------------------------------------------------ limits


def test_session_limit_is_resource_exhausted():
    with ServerThread(ServerConfig(port=0, max_sessions=2)) as server, grpc.insecure_channel(server.address) as channel:
        first, second = SessionClient(channel), SessionClient(channel)
        first.make("CartPole-v1")
        second.make("CartPole-v1")
        error = stream_status(lambda: SessionClient(channel).make("CartPole-v1"))
        assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "2 of 2" in error.details()
        first.close()
        assert wait_for_active_sessions(channel, 1) == 1
        SessionClient(channel).make("CartPole-v1")  # a freed slot can be used again


def test_num_envs_over_the_limit_is_resource_exhausted(open_session):
    error = stream_status(lambda: open_session().make("CartPole-v1", num_envs=100_000))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "100000" in error.details()


def test_oversized_message_is_resource_exhausted():
    with ServerThread(ServerConfig(port=0, max_message_bytes=64 * 1024)) as server:
        with grpc.insecure_channel(server.address) as channel:
            client = SessionClient(channel)
            client.make("CartPole-v1")
            client.reset()
            huge = vpb.Value(tensor=codec.encode_tensor(np.zeros(20_000, np.float32)))  # 80 kB
            error = stream_status(lambda: client.step_value(huge))
            assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert wait_for_active_sessions(channel, 0) == 0


# ------------------------------------------------------------------ vanishing clients


def test_client_disconnect_mid_episode_closes_the_env(server, channel, open_session):
    assert wait_for_active_sessions(channel, 0) == 0
    client = open_session()
    made = client.make("CartPole-v1", num_envs=4)
    client.reset(seed=0)
    client.step(np.ones(4, np.int64))
    live = server.server.service._sessions[made.session_id]
    runner = live.runner
    closed = []
    original_close = runner.close
    runner.close = lambda: (closed.append(True), original_close())
    assert active_sessions(channel) == 1

    client.cancel()  # as if the client process died

    assert wait_for_active_sessions(channel, 0) == 0
    assert closed == [True]
    assert live.runner is None


def test_disconnect_during_a_slow_step_closes_the_env_after_the_step(server, channel, open_session):
    assert wait_for_active_sessions(channel, 0) == 0
    client = open_session()
    made = client.make(SLOW_ENV_ID)
    client.reset()
    for _ in range(3):
        client.step(np.array([0]))
    live = server.server.service._sessions[made.session_id]
    assert live.offload  # slow env calls moved off the event loop
    runner = live.runner
    events = []
    original_step, original_close = runner._step, runner.close
    runner._step = lambda actions, seed: (events.append("step"), original_step(actions, seed))[1]
    runner.close = lambda: (events.append("close"), original_close())
    client._requests.put(
        pb.SessionRequest(step=pb.Step(actions=codec.encode_batch(client.action_space, np.array([0]))))
    )
    time.sleep(0.01)  # the step is running on a worker thread now
    client.cancel()
    assert wait_for_active_sessions(channel, 0) == 0
    deadline = time.monotonic() + 5
    while "close" not in events and time.monotonic() < deadline:
        time.sleep(0.01)
    assert events == ["step", "close"]


def test_idle_session_is_closed():
    with (
        ServerThread(ServerConfig(port=0, idle_timeout_s=0.3)) as server,
        grpc.insecure_channel(server.address) as channel,
    ):
        client = SessionClient(channel)
        client.make("CartPole-v1")
        client.reset()
        time.sleep(0.8)
        assert active_sessions(channel) == 0
        error = stream_status(lambda: client.step(np.array([0])))
        assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED and "idle" in error.details()
