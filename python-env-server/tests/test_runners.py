"""The fast CartPole vector equals Gymnasium's own SyncVectorEnv over gymnasium.make copies."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from gymlink_server.runners import EnvRequest, SameStepCartPoleRunner, open_runner, split_vector_info


def reference_vector(num_envs: int, **make_kwargs) -> SyncVectorEnv:
    return SyncVectorEnv(
        [lambda: gym.make("CartPole-v1", **make_kwargs)] * num_envs, autoreset_mode=AutoresetMode.SAME_STEP
    )


@pytest.mark.parametrize(
    "make_kwargs", [{}, {"max_episode_steps": 25}, {"sutton_barto_reward": True, "max_episode_steps": 40}]
)
def test_same_step_cartpole_equals_sync_vector_env_of_separate_envs(make_kwargs):
    num_envs, seed = 8, 1234
    request = EnvRequest(
        "CartPole-v1",
        num_envs=num_envs,
        vector=True,
        max_episode_steps=make_kwargs.get("max_episode_steps"),
        kwargs={k: v for k, v in make_kwargs.items() if k != "max_episode_steps"},
    )
    runner = open_runner(request, gym.spec("CartPole-v1").vector_entry_point)
    assert isinstance(runner, SameStepCartPoleRunner)
    reference = reference_vector(num_envs, **make_kwargs)
    actions_rng = np.random.default_rng(7)

    reset = runner.reset(seed, None)
    expected_obs, _ = reference.reset(seed=seed)
    assert np.array_equal(reset.observations, expected_obs)

    ended_count = 0
    for step in range(600):
        # Mostly one direction so that poles fall fast and episodes end often.
        actions = (actions_rng.random(num_envs) < 0.8).astype(np.int64)
        outcome = runner.step(actions)
        obs, rewards, terminated, truncated, infos = reference.step(actions)
        assert np.array_equal(outcome.observations, obs), f"step {step}"
        assert np.array_equal(outcome.rewards, rewards)
        assert np.array_equal(outcome.terminated, terminated)
        assert np.array_equal(outcome.truncated, truncated)
        expected_final = np.flatnonzero(infos.get("_final_obs", np.zeros(num_envs, bool)))
        assert [f.env_index for f in outcome.final_observations] == expected_final.tolist()
        for final in outcome.final_observations:
            assert np.array_equal(final.observation, infos["final_obs"][final.env_index])
        ended_count += len(expected_final)
        if step == 300:  # an unseeded reset mid-run continues every copy's own generator
            assert np.array_equal(runner.reset(None, None).observations, reference.reset()[0])
    assert ended_count > 50
    if "max_episode_steps" in make_kwargs:
        assert runner.env.max_episode_steps == make_kwargs["max_episode_steps"]
    runner.close()
    reference.close()


def test_reset_options_apply_to_the_reset_only():
    runner = open_runner(EnvRequest("CartPole-v1", num_envs=3, vector=True), "x:CartPoleVectorEnv")
    reference = reference_vector(3)
    options = {"low": -0.2, "high": 0.2}
    assert np.array_equal(runner.reset(5, options).observations, reference.reset(seed=5, options=options)[0])
    for _ in range(60):
        outcome = runner.step(np.ones(3, np.int64))
        assert np.array_equal(outcome.observations, reference.step(np.ones(3, np.int64))[0])


def test_next_step_uses_gymnasiums_native_vector_env():
    runner = open_runner(
        EnvRequest("CartPole-v1", num_envs=4, vector=True, autoreset_mode=AutoresetMode.NEXT_STEP),
        gym.spec("CartPole-v1").vector_entry_point,
    )
    assert type(runner.env).__name__ == "CartPoleVectorEnv"
    assert runner.autoreset_mode == AutoresetMode.NEXT_STEP
    runner.reset(0, None)
    ended_at: int | None = None
    for _ in range(100):
        outcome = runner.step(np.ones(4, np.int64))
        if ended_at is not None:
            # The step after an episode ended ignores the action and gives reward 0.
            assert outcome.rewards[ended_at] == 0.0
            break
        if any(outcome.terminated):
            ended_at = outcome.terminated.index(True)
    assert ended_at is not None
    runner.close()


def test_other_envs_use_sync_vector_env_with_same_step_final_infos():
    runner = open_runner(EnvRequest("FrozenLake-v1", num_envs=2, vector=True, kwargs={"is_slippery": False}), None)
    assert isinstance(runner.env, SyncVectorEnv)
    runner.reset(0, None)
    # Map SFFF/FHFH/FFFH/HFFG; actions 0 left, 1 down, 2 right, 3 up.
    first = runner.step(np.array([1, 2]))  # env 0 -> 4, env 1 -> 1
    second = runner.step(np.array([1, 1]))  # env 0 -> 8, env 1 -> 5: a hole
    assert second.terminated == [False, True]
    assert [(f.env_index, int(f.observation)) for f in second.final_observations] == [(1, 5)]
    assert second.observations.tolist() == [8, 0]  # env 1 already reset, in the same step
    assert second.rewards == [0.0, 0.0]
    assert first.final_observations == []
    for action in (2, 2, 1):  # env 0 -> 9, 10, 14; env 1 stays at the start by moving up
        outcome = runner.step(np.array([action, 3]))
    outcome = runner.step(np.array([2, 3]))  # env 0 -> 15: the goal
    assert outcome.terminated == [True, False]
    assert outcome.rewards == [1.0, 0.0]
    assert [(f.env_index, int(f.observation)) for f in outcome.final_observations] == [(0, 15)]
    assert outcome.final_observations[0].info == {"prob": 1.0}
    assert outcome.observations.tolist() == [0, 0]
    runner.close()


def test_split_vector_info_follows_the_masks():
    infos = {
        "a": np.array([1, 0, 3]),
        "_a": np.array([True, False, True]),
        "nested": {"x": np.array([0.5, 0.0, 0.0]), "_x": np.array([True, False, False])},
        "_nested": np.array([True, False, False]),
    }
    assert split_vector_info(infos, 3) == [{"a": 1, "nested": {"x": 0.5}}, {}, {"a": 3}]
    assert split_vector_info({}, 3) == []
