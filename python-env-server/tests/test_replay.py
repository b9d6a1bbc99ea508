"""Seeded autoresets and Replay: a session made afresh (a restarted server) rebuilds the episodes in flight."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from gymlink_server.errors import RequestError
from gymlink_server.runners import EnvRequest, SameStepCartPoleRunner, VectorEnvRunner, open_runner


def cartpole_runners():
    request = EnvRequest("CartPole-v1", num_envs=5, vector=True, max_episode_steps=60)
    native = gym.spec("CartPole-v1").vector_entry_point
    return {
        "native same-step": lambda: open_runner(request, native),
        "sync": lambda: VectorEnvRunner.sync(request),
    }


@pytest.mark.parametrize("kind", ["native same-step", "sync"])
def test_a_seeded_autoreset_starts_the_episode_of_env_i_from_seed_plus_i(kind):
    runner = cartpole_runners()[kind]()
    if kind == "native same-step":
        assert isinstance(runner, SameStepCartPoleRunner)
    runner.reset(3, None)
    for step in range(200):
        outcome = runner.step(np.ones(5, dtype=np.int64), autoreset_seed=1000 + step)
        for final in outcome.final_observations:
            single = gym.make("CartPole-v1")
            expected, _ = single.reset(seed=1000 + step + final.env_index)
            assert np.array_equal(outcome.observations[final.env_index], expected)
    runner.close()


@pytest.mark.parametrize("kind", ["native same-step", "sync"])
def test_replay_rebuilds_every_episode_in_flight_and_the_session_continues_identically(kind):
    rng = np.random.default_rng(5)
    original = cartpole_runners()[kind]()
    first = original.reset(11, None)
    seeds = [11 + i for i in range(5)]
    actions: list[list[int]] = [[] for _ in range(5)]
    seen: list[list[np.ndarray]] = [[first.observations[i]] for i in range(5)]
    for step in range(137):
        batch = (rng.random(5) < 0.6).astype(np.int64)
        outcome = original.step(batch, autoreset_seed=500 + step)
        ended = {f.env_index for f in outcome.final_observations}
        for i in range(5):
            if i in ended:
                seeds[i], actions[i], seen[i] = 500 + step + i, [], [outcome.observations[i]]
            else:
                actions[i].append(int(batch[i]))
                seen[i].append(outcome.observations[i])

    restarted = cartpole_runners()[kind]()
    replayed = restarted.replay(list(zip(seeds, actions, strict=True)))
    for i in range(5):
        assert np.array_equal(replayed[i], np.stack(seen[i])), f"env {i}"
    for step in range(100):
        batch = (rng.random(5) < 0.6).astype(np.int64)
        a = original.step(batch, autoreset_seed=9000 + step)
        b = restarted.step(batch, autoreset_seed=9000 + step)
        assert np.array_equal(a.observations, b.observations), f"step {step} after the replay"
        assert a.terminated == b.terminated and a.truncated == b.truncated and a.rewards == b.rewards
    original.close()
    restarted.close()


def test_a_history_that_ends_its_episode_is_refused():
    runner = cartpole_runners()["sync"]()
    with pytest.raises(RequestError, match="ended its episode"):
        runner.replay([(1, [1] * 200)] + [(2, [])] * 4)
    runner.close()


def test_native_next_step_sessions_refuse_replay_and_seeded_autoresets():
    request = EnvRequest("CartPole-v1", num_envs=2, vector=True, autoreset_mode=gym.vector.AutoresetMode.NEXT_STEP)
    runner = open_runner(request, gym.spec("CartPole-v1").vector_entry_point)
    runner.reset(1, None)
    with pytest.raises(RequestError, match="cannot"):
        runner.replay([(1, []), (2, [])])
    runner.reset(1, None)
    with pytest.raises(RequestError, match="same-step"):
        runner.step(np.zeros(2, dtype=np.int64), autoreset_seed=4)
    runner.close()
