"""A real server on a free port, a real gRPC channel: results equal in-process Gymnasium."""

from __future__ import annotations

import grpc
import gymnasium as gym
import numpy as np
import pytest
from conftest import EXPLODING_ENV_ID, wait_for_active_sessions
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server.client import SessionError


def fixed_actions(count: int) -> list[int]:
    # A fixed, irregular sequence: long runs of one side end episodes early, so resets happen too.
    rng = np.random.default_rng(2024)
    return [int(a) for a in (rng.random(count) < 0.7)]


def observations(value: pb.Value) -> np.ndarray:
    return codec.decode_tensor(value.tensor)


def test_list_envs_describes_server_and_envs(channel):
    reply = pb_grpc.EnvServiceStub(channel).ListEnvs(pb.ListEnvsRequest(), timeout=10)
    ids = [spec.id for spec in reply.envs]
    assert ids == sorted(ids)
    cartpole = next(spec for spec in reply.envs if spec.id == "CartPole-v1")
    assert cartpole.max_episode_steps == 500 and cartpole.reward_threshold == 475.0
    assert cartpole.family == "classic_control" and cartpole.native_vector
    assert "FrozenLake-v1" in ids and "Pendulum-v1" in ids
    assert not any(":" in env_id for env_id in ids)
    assert reply.server.protocol_version == "gymlink.v1"
    assert reply.server.gymnasium_version == gym.__version__
    assert reply.server.capabilities.same_step_autoreset and reply.server.capabilities.vector
    assert any(family.startswith(("box2d", "mujoco")) for family in reply.server.unavailable_families)


def test_cartpole_matches_in_process_gymnasium_for_200_steps(open_session):
    client = open_session()
    made = client.make("CartPole-v1")
    assert made.num_envs == 1 and not made.vector
    assert made.autoreset_mode == pb.AUTORESET_MODE_UNSPECIFIED
    assert codec.space_from_proto(made.observation_space) == gym.make("CartPole-v1").observation_space

    env = gym.make("CartPole-v1")
    expected_obs, _ = env.reset(seed=42)
    got = observations(client.reset(seed=42).observations)
    assert got.shape == (1, 4) and got.dtype == np.float32
    assert np.array_equal(got[0], expected_obs)

    episodes = 1
    for action in fixed_actions(200):
        expected_obs, reward, terminated, truncated, _ = env.step(action)
        result = client.step(np.array([action]))
        assert np.array_equal(observations(result.observations)[0], expected_obs)
        assert list(result.rewards) == [reward]
        assert list(result.terminated) == [terminated] and list(result.truncated) == [truncated]
        assert not result.final_observations
        if terminated or truncated:
            episodes += 1
            expected_obs, _ = env.reset()
            assert np.array_equal(observations(client.reset().observations)[0], expected_obs)
    assert episodes > 3
    assert client.close().env_steps == 200


def test_make_seed_seeds_the_first_reset(open_session):
    client = open_session()
    client.make("CartPole-v1", seed=7)
    assert np.array_equal(observations(client.reset().observations)[0], gym.make("CartPole-v1").reset(seed=7)[0])


def test_vector_session_of_8_resets_ended_envs_in_the_same_step(open_session):
    client = open_session()
    made = client.make("CartPole-v1", num_envs=8, seed=100)
    assert made.vector and made.num_envs == 8
    assert made.autoreset_mode == pb.AUTORESET_MODE_SAME_STEP

    reference = SyncVectorEnv([lambda: gym.make("CartPole-v1")] * 8, autoreset_mode=AutoresetMode.SAME_STEP)
    expected, _ = reference.reset(seed=100)
    assert np.array_equal(observations(client.reset().observations), expected)
    rng = np.random.default_rng(3)
    finals_seen = set()
    for _ in range(120):
        actions = (rng.random(8) < 0.75).astype(np.int64)
        result = client.step(actions)
        expected, rewards, terminated, truncated, infos = reference.step(actions)
        assert np.array_equal(observations(result.observations), expected)
        assert list(result.rewards) == rewards.tolist()
        assert list(result.terminated) == terminated.tolist() and list(result.truncated) == truncated.tolist()
        ended = np.flatnonzero(terminated | truncated).tolist()
        assert [f.env_index for f in result.final_observations] == ended
        for final in result.final_observations:
            last = codec.decode_tensor(final.observation.tensor)
            assert np.array_equal(last, infos["final_obs"][final.env_index])
            # The last observation of an ended CartPole episode is outside the safe region.
            assert abs(last[0]) > 2.4 or abs(last[2]) > 0.2095
            finals_seen.add(final.env_index)
    assert len(finals_seen) == 8


def test_vector_session_can_ask_for_next_step_autoreset(open_session):
    client = open_session()
    made = client.make("CartPole-v1", num_envs=4, autoreset_mode=pb.AUTORESET_MODE_NEXT_STEP)
    assert made.autoreset_mode == pb.AUTORESET_MODE_NEXT_STEP
    client.reset(seed=1)
    previous_terminated = [False] * 4
    for _ in range(60):
        result = client.step(np.ones(4, np.int64))
        for index, ended in enumerate(previous_terminated):
            if ended:
                assert result.rewards[index] == 0.0
        assert not result.final_observations
        previous_terminated = list(result.terminated)


def test_vector_flag_gives_autoreset_with_one_env(open_session):
    client = open_session()
    made = client.make("CartPole-v1", vector=True)
    assert made.vector and made.num_envs == 1
    client.reset(seed=0)
    for _ in range(200):
        result = client.step(np.ones(1, np.int64))
        if result.final_observations:
            break
    assert result.terminated[0] and result.final_observations[0].env_index == 0
    client.step(np.ones(1, np.int64))  # no reset needed: it happened in the step


def test_plain_session_needs_reset_after_episode_end(open_session):
    client = open_session()
    client.make("CartPole-v1")
    client.reset(seed=0)
    for _ in range(200):
        if client.step(np.ones(1, np.int64)).terminated[0]:
            break
    with pytest.raises(SessionError) as caught:
        client.step(np.ones(1, np.int64))
    assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION
    assert "terminated" in caught.value.message
    client.reset()
    client.step(np.ones(1, np.int64))


def test_discrete_observations_kwargs_and_infos(open_session):
    client = open_session()
    made = client.make("FrozenLake-v1", kwargs={"is_slippery": False, "map_name": "4x4"})
    assert made.observation_space.discrete.n == 16
    reset = client.reset(seed=0)
    assert observations(reset.observations).tolist() == [0]
    assert reset.infos[0].entries["prob"].discrete == 1  # FrozenLake reports an int here
    result = client.step(np.array([1]))  # down
    assert observations(result.observations).tolist() == [4]
    assert result.infos[0].entries["prob"].number == 1.0


def test_tuple_observations_travel_batched(open_session):
    client = open_session()
    made = client.make("Blackjack-v1", num_envs=2)
    assert [s.discrete.n for s in made.observation_space.tuple.spaces] == [32, 11, 2]
    reset = client.reset(seed=3)
    reference = SyncVectorEnv([lambda: gym.make("Blackjack-v1")] * 2)
    expected, _ = reference.reset(seed=3)
    components = [codec.decode_tensor(v.tensor) for v in reset.observations.tuple.values]
    for got, want in zip(components, expected, strict=True):
        assert got.dtype == np.int64 and np.array_equal(got, want)


def test_box_actions_and_render(open_session):
    client = open_session()
    client.make("Pendulum-v1", render_mode="rgb_array", max_episode_steps=3)
    client.reset(seed=0)
    for _ in range(3):
        result = client.step(np.array([[0.5]], np.float32))
    assert list(result.truncated) == [True]
    frame = client.render()
    assert frame.dtype == np.uint8 and frame.shape == (500, 500, 3) and frame.any()


def test_reset_options_reach_the_env(open_session):
    client = open_session()
    client.make("CartPole-v1")
    obs = observations(client.reset(seed=0, options={"low": 0.5, "high": 0.6}).observations)
    assert np.all((obs >= 0.5) & (obs <= 0.6))


def test_env_exception_is_internal_and_the_server_keeps_serving(open_session, channel):
    client = open_session()
    client.make(EXPLODING_ENV_ID)
    client.reset()
    client.step(np.array([0]))
    client.step(np.array([0]))
    with pytest.raises(SessionError) as caught:
        client.step(np.array([0]))
    assert caught.value.code == grpc.StatusCode.INTERNAL
    assert "ZeroDivisionError" in caught.value.message and "simulated bug" in caught.value.message
    with pytest.raises(SessionError) as caught:
        client.step(np.array([0]))
    assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION  # state unknown until a reset
    client.reset()
    client.step(np.array([0]))
    other = open_session()
    other.make("CartPole-v1")
    other.reset(seed=1)


def test_close_ends_the_session(open_session, channel):
    client = open_session()
    client.make("CartPole-v1", num_envs=3)
    client.reset(seed=0)
    client.step(np.zeros(3, np.int64))
    assert client.close().env_steps == 3
    assert wait_for_active_sessions(channel, 0) == 0
