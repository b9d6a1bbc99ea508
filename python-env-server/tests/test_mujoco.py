"""MuJoCo envs through a real server (the mujoco extra, which the test extra includes).

HalfCheetah-v5 stands for the family: Box observations and Box actions over the wire, the same
physics as in-process Gymnasium, and frames refused at make when this process has no OpenGL.
"""

from __future__ import annotations

import os
import subprocess
import sys

import grpc
import gymnasium as gym
import mujoco
import numpy as np
import pytest
from gymnasium import spaces
from packaging.version import Version

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server.client import SessionClient, SessionError

ENV_ID = "HalfCheetah-v5"
LISTENING = "gymlink-server listening on "


def observations(value: pb.Value) -> np.ndarray:
    return codec.decode_tensor(value.tensor)


def fixed_actions(count: int, dims: int) -> np.ndarray:
    # Inside [-1, 1] with the bounds themselves now and then: float32, as a client sends them.
    rng = np.random.default_rng(16)
    return np.clip(rng.normal(0.0, 0.7, (count, dims)), -1.0, 1.0).astype(np.float32)


@pytest.fixture()
def server_with_gl():
    """Starts server processes with MUJOCO_GL set and no display; returns their addresses.

    A process of its own for each backend: PyOpenGL binds one platform per process, so a process
    that tried glfw cannot switch to EGL (the server reads MUJOCO_GL once, at start, too).
    """
    processes: list[subprocess.Popen] = []

    def start(backend: str) -> str:
        env = {name: value for name, value in os.environ.items() if name not in ("DISPLAY", "WAYLAND_DISPLAY")}
        process = subprocess.Popen(
            [sys.executable, "-m", "gymlink_server", "--port", "0", "--allow-env", "HalfCheetah-*"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**env, "MUJOCO_GL": backend},
        )
        processes.append(process)
        line = process.stdout.readline().strip()
        assert line.startswith(LISTENING), f"unexpected first stdout line {line!r}"
        return line.removeprefix(LISTENING)

    yield start
    for process in processes:
        process.kill()
        process.wait()


def test_mujoco_envs_are_listed_as_their_family(channel):
    reply = pb_grpc.EnvServiceStub(channel).ListEnvs(pb.ListEnvsRequest(), timeout=10)
    listed = {spec.id: spec for spec in reply.envs}
    for env_id in (ENV_ID, "Hopper-v5", "Ant-v5", "Walker2d-v5"):
        assert listed[env_id].family == "mujoco", env_id
    assert listed[ENV_ID].max_episode_steps == 1000
    assert not any(family.startswith("mujoco:") for family in reply.server.unavailable_families)


def test_half_cheetah_spaces_and_steps_equal_in_process_gymnasium(open_session):
    client = open_session()
    made = client.make(ENV_ID)
    observation_space = codec.space_from_proto(made.observation_space)
    action_space = codec.space_from_proto(made.action_space)
    assert observation_space == spaces.Box(-np.inf, np.inf, (17,), np.float64)
    assert action_space == spaces.Box(-1.0, 1.0, (6,), np.float32)
    assert made.spec.max_episode_steps == 1000 and made.spec.family == "mujoco"

    env = gym.make(ENV_ID)
    expected_obs, _ = env.reset(seed=5)
    got = observations(client.reset(seed=5).observations)
    assert got.shape == (1, 17) and got.dtype == np.float64
    assert np.array_equal(got[0], expected_obs)
    total = 0.0
    for action in fixed_actions(300, 6):
        expected_obs, reward, terminated, truncated, _ = env.step(action)
        result = client.step(action[np.newaxis])
        assert np.array_equal(observations(result.observations)[0], expected_obs)
        assert list(result.rewards) == [reward]
        assert not terminated and list(result.terminated) == [False] and list(result.truncated) == [truncated]
        total += reward
    assert total != 0.0
    assert client.close().env_steps == 300


def test_half_cheetah_truncates_at_its_time_limit_in_a_vector_session(open_session):
    client = open_session()
    made = client.make(ENV_ID, num_envs=2, vector=True, max_episode_steps=5)
    assert made.num_envs == 2
    client.reset(seed=1)
    actions = fixed_actions(5, 6)
    for step in range(5):
        result = client.step(np.stack([actions[step], -actions[step]]))
        assert observations(result.observations).shape == (2, 17)
    assert list(result.truncated) == [True, True] and list(result.terminated) == [False, False]
    # Same-step autoreset: the ended episodes' last observations come back beside the new first ones.
    assert sorted(final.env_index for final in result.final_observations) == [0, 1]


def test_box_action_of_the_wrong_width_or_out_of_bounds_is_invalid(open_session):
    client = open_session()
    client.make(ENV_ID)
    client.reset(seed=0)
    with pytest.raises(SessionError) as wrong_width:
        client.step(np.zeros((1, 5), np.float32))
    assert wrong_width.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "[1, 5]" in wrong_width.value.message and "(6,)" in wrong_width.value.message
    with pytest.raises(SessionError) as outside:
        client.step(np.full((1, 6), 1.5, np.float32))
    assert outside.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "1.5" in outside.value.message and "outside" in outside.value.message
    assert observations(client.step(np.zeros((1, 6), np.float32)).observations).shape == (1, 17)


def test_mujoco_warnings_go_to_the_log_not_to_a_file_in_the_working_directory(
    open_session, tmp_path, monkeypatch, caplog
):
    monkeypatch.chdir(tmp_path)
    client = open_session()
    client.make(ENV_ID)  # MuJoCo 4 warns about the model's settotalmass at every make
    client.close()
    assert not (tmp_path / "MUJOCO_LOG.TXT").exists()
    if Version(mujoco.__version__) >= Version("4"):
        assert "MuJoCo: compiler attribute 'settotalmass' is deprecated" in caplog.text


@pytest.mark.skipif(Version(mujoco.__version__) < Version("3"), reason="Pusher-v4 is made with mujoco<3")
def test_a_v4_env_that_wants_mujoco_before_3_is_refused_as_a_missing_dependency(open_session):
    client = open_session()
    with pytest.raises(grpc.RpcError) as refused:
        client.make("Pusher-v4")
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "Pusher-v4 needs a missing dependency" in refused.value.details()
    assert "mujoco<3" in refused.value.details()


def test_frames_without_opengl_are_refused_at_make_and_say_how(server_with_gl):
    # glfw needs a display; without one MuJoCo has no context.
    with grpc.insecure_channel(server_with_gl("glfw")) as channel:
        client = SessionClient(channel, timeout_s=60)
        with pytest.raises(grpc.RpcError) as refused:
            client.make(ENV_ID, render_mode="rgb_array")
        assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        details = refused.value.details()
        assert f'{ENV_ID} cannot render "rgb_array" frames' in details
        assert "MUJOCO_GL=glfw" in details and "MUJOCO_GL=egl" in details and "without render_mode" in details
        # Stepping needs no OpenGL: the same server makes the env without frames.
        stepper = SessionClient(channel, timeout_s=60)
        stepper.make(ENV_ID)
        stepper.reset(seed=0)
        assert observations(stepper.step(np.zeros((1, 6), np.float32)).observations).shape == (1, 17)
        stepper.close()


def test_frames_render_off_screen_with_egl(server_with_gl):
    with grpc.insecure_channel(server_with_gl("egl")) as channel:
        client = SessionClient(channel, timeout_s=60)
        try:
            client.make(ENV_ID, render_mode="rgb_array")
        except grpc.RpcError as refused:
            if refused.code() == grpc.StatusCode.FAILED_PRECONDITION:
                pytest.skip(f"no EGL on this machine: {refused.details()}")
            raise
        client.reset(seed=0)
        client.step(np.zeros((1, 6), np.float32))
        frame = client.render()
        assert frame.dtype == np.uint8 and frame.shape == (480, 480, 3) and frame.any()
        client.close()
