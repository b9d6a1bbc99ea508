"""Test-only envs whose spaces Gymnasium ships no env for: Graph, Sequence, OneOf and an unsorted Text.

Each one echoes: reset returns a seeded sample of its space, and every step returns the action it
was given as the next observation, so one step carries a value to the server and back.
"""

from __future__ import annotations

import copy
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces


class EchoEnv(gym.Env):
    """Observation space = action space = ``space``; ends an episode after ``EPISODE_LENGTH`` steps."""

    EPISODE_LENGTH = 3
    space: spaces.Space = spaces.Discrete(2)

    def __init__(self) -> None:
        self.observation_space = copy.deepcopy(self.space)
        self.action_space = copy.deepcopy(self.space)
        self._steps = 0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        self._steps = 0
        if seed is not None:
            self.observation_space.seed(seed)
        return self.observation_space.sample(), {}

    def step(self, action):
        if not self.action_space.contains(action):
            raise AssertionError(f"the server passed on {action!r}, which is not in {self.action_space}")
        self._steps += 1
        return action, 1.0, self._steps >= self.EPISODE_LENGTH, False, {}


class EchoGraphEnv(EchoEnv):
    space = spaces.Graph(spaces.Box(-1.0, 1.0, (2,), np.float32), spaces.Discrete(3))


class EchoNodesOnlyGraphEnv(EchoEnv):
    space = spaces.Graph(spaces.Discrete(4, start=1), None)


class EchoSequenceEnv(EchoEnv):
    space = spaces.Sequence(spaces.Tuple((spaces.Discrete(5), spaces.Box(0.0, 1.0, (2,), np.float32))))


class EchoStackedSequenceEnv(EchoEnv):
    space = spaces.Sequence(spaces.Box(-2.0, 2.0, (3,), np.float64), stack=True)


class EchoOneOfEnv(EchoEnv):
    space = spaces.OneOf((spaces.Discrete(3), spaces.Box(-1.0, 1.0, (2,), np.float32), spaces.Text(4, charset="zyx")))


class EchoTextEnv(EchoEnv):
    # Not sorted: a client must sample these characters in this order to draw what Gymnasium draws.
    space = spaces.Text(6, min_length=0, charset="zebra!")


class EchoMultiBinaryGraphEnv(EchoEnv):
    # Gymnasium builds it, but declares node features Box or Discrete only: the wire refuses it.
    space = spaces.Graph(spaces.MultiBinary(2), None)


UNSERVABLE_GRAPH_ENV_ID = "GymlinkTest/EchoMultiBinaryGraph-v0"

ECHO_ENVS: dict[str, type[EchoEnv]] = {
    "GymlinkTest/EchoGraph-v0": EchoGraphEnv,
    "GymlinkTest/EchoNodesOnlyGraph-v0": EchoNodesOnlyGraphEnv,
    "GymlinkTest/EchoSequence-v0": EchoSequenceEnv,
    "GymlinkTest/EchoStackedSequence-v0": EchoStackedSequenceEnv,
    "GymlinkTest/EchoOneOf-v0": EchoOneOfEnv,
    "GymlinkTest/EchoText-v0": EchoTextEnv,
}


def register() -> None:
    for env_id, env_class in {**ECHO_ENVS, UNSERVABLE_GRAPH_ENV_ID: EchoMultiBinaryGraphEnv}.items():
        if env_id not in gym.registry:
            gym.register(env_id, entry_point=env_class)
