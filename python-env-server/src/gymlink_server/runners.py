"""The environment behind one session: a single env, a Gymnasium vector env, or the fast CartPole vector.

Runners speak Gymnasium's batched layout on both sides (see codec.py) and know
nothing about gRPC, so they can be tested against in-process Gymnasium directly.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, SyncVectorEnv, VectorEnv
from gymnasium.vector.utils import concatenate, create_empty_array

from gymlink_server import codec
from gymlink_server.errors import RequestError, failed_precondition, invalid_argument

log = logging.getLogger(__name__)

# CartPole's reset draws every state variable uniformly from this range (gymnasium's default bounds).
CARTPOLE_RESET_BOUNDS = (-0.05, 0.05)


@dataclass(frozen=True)
class EnvRequest:
    """What a Make asked for, after validation."""

    env_id: str
    num_envs: int = 1
    vector: bool = False
    render_mode: str | None = None
    max_episode_steps: int | None = None
    autoreset_mode: AutoresetMode = AutoresetMode.SAME_STEP
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.num_envs < 1:
            raise invalid_argument(f"num_envs must be at least 1, got {self.num_envs}")
        if self.num_envs > 1 and not self.vector:
            raise invalid_argument(f"num_envs {self.num_envs} needs a vector session")
        if self.max_episode_steps is not None and self.max_episode_steps < 1:
            raise invalid_argument(f"max_episode_steps must be positive, got {self.max_episode_steps}")

    def make_kwargs(self) -> dict[str, Any]:
        """Arguments for gymnasium.make of one copy."""
        kwargs = dict(self.kwargs)
        if self.render_mode is not None:
            kwargs["render_mode"] = self.render_mode
        if self.max_episode_steps is not None:
            kwargs["max_episode_steps"] = self.max_episode_steps
        return kwargs


@dataclass(frozen=True)
class FinalObservation:
    env_index: int
    observation: Any
    info: Mapping[str, Any]


@dataclass(frozen=True)
class ResetOutcome:
    observations: Any
    infos: list[Mapping[str, Any]]


@dataclass(frozen=True)
class StepOutcome:
    """One step of every env; the per-env flags and rewards are plain lists, ready for the wire."""

    observations: Any
    rewards: list[float]
    terminated: list[bool]
    truncated: list[bool]
    final_observations: list[FinalObservation]
    infos: list[Mapping[str, Any]]


class EnvRunner(abc.ABC):
    """One session's environment(s). Not thread-safe: a session calls it from one task at a time."""

    observation_space: spaces.Space
    action_space: spaces.Space
    num_envs: int
    vector: bool
    autoreset_mode: AutoresetMode | None
    description: str

    def __init__(self) -> None:
        self.env_steps = 0
        self._started = False

    def reset(self, seed: int | None, options: Mapping[str, Any] | None) -> ResetOutcome:
        try:
            outcome = self._reset(seed, dict(options) if options else None)
        except BaseException:
            self._started = False
            raise
        self._started = True
        return outcome

    def step(self, actions: Any, autoreset_seed: int | None = None) -> StepOutcome:
        if not self._started:
            raise failed_precondition(self._not_started_reason("step"))
        if autoreset_seed is not None:
            if not self.vector or self.autoreset_mode != AutoresetMode.SAME_STEP:
                raise invalid_argument("autoreset_seed needs a vector session with same-step autoreset")
            if autoreset_seed < 0:
                raise invalid_argument(f"autoreset_seed must be >= 0, got {autoreset_seed}")
        try:
            outcome = self._step(actions, autoreset_seed)
        except BaseException:
            # After an exception inside the env its state is unknown: only a reset makes it usable again.
            self._started = False
            raise
        self.env_steps += self.num_envs
        return outcome

    def replay(self, histories: list[tuple[int, list[Any]]]) -> list[Any]:
        """Resets env i with ``histories[i][0]`` and steps it with the actions ``histories[i][1]``.

        Returns, per env, the observations it went through (after the reset and after each
        action), batched with a leading axis of len(actions) + 1. No replayed step may end its
        episode: a history is the episode in flight. The session is then started, as after a reset.
        """
        if len(histories) != self.num_envs:
            raise invalid_argument(f"replay needs one history per env: {self.num_envs}, got {len(histories)}")
        try:
            observations = self._replay(histories)
        except BaseException:
            self._started = False
            raise
        self._started = True
        self.env_steps += sum(len(actions) for _, actions in histories)
        return observations

    def _replay(self, histories: list[tuple[int, list[Any]]]) -> list[Any]:
        raise failed_precondition(f"a {self.description} session cannot replay episodes")

    def _ended_in_replay(self, env_index: int, step: int) -> RequestError:
        return failed_precondition(
            f"replayed step {step} of env {env_index} ended its episode, so the history is not of an episode in flight"
        )

    def render(self, env_index: int) -> np.ndarray:
        if not 0 <= env_index < self.num_envs:
            raise invalid_argument(f"env_index {env_index} is outside 0..{self.num_envs - 1}")
        if self.render_mode != "rgb_array":
            raise failed_precondition('render needs a session made with render_mode "rgb_array"')
        if not self._started:
            raise failed_precondition(self._not_started_reason("render"))
        frame = np.asarray(self._render(env_index))
        if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] != 3:
            raise failed_precondition(f"env rendered {frame.dtype} {list(frame.shape)}, not an RGB frame")
        return frame

    def _not_started_reason(self, what: str) -> str:
        return f"{what} before reset: call reset first (a reset is also needed after an env raised an exception)"

    @property
    @abc.abstractmethod
    def render_mode(self) -> str | None: ...

    @abc.abstractmethod
    def _reset(self, seed: int | None, options: dict[str, Any] | None) -> ResetOutcome: ...

    @abc.abstractmethod
    def _step(self, actions: Any, autoreset_seed: int | None) -> StepOutcome: ...

    @abc.abstractmethod
    def _render(self, env_index: int) -> Any: ...

    @abc.abstractmethod
    def close(self) -> None: ...


class SingleEnvRunner(EnvRunner):
    """A plain session: exactly ``gymnasium.make(env_id)``, payloads batched with a leading axis of 1."""

    vector = False
    num_envs = 1
    autoreset_mode = None

    def __init__(self, request: EnvRequest) -> None:
        super().__init__()
        self.env = gym.make(request.env_id, **request.make_kwargs())
        self.observation_space = self.env.observation_space
        self.action_space = self.env.action_space
        self.description = "single env"
        self._ended: str | None = None

    @property
    def render_mode(self) -> str | None:
        return self.env.render_mode

    def step(self, actions: Any, autoreset_seed: int | None = None) -> StepOutcome:
        if self._ended is not None:
            raise failed_precondition(f"the episode has ended ({self._ended}); reset before stepping again")
        return super().step(actions, autoreset_seed)

    def _reset(self, seed: int | None, options: dict[str, Any] | None) -> ResetOutcome:
        self._ended = None
        observation, info = self.env.reset(seed=seed, options=options)
        return ResetOutcome(codec.batch_of_one(self.observation_space, observation), [info] if info else [])

    def _step(self, actions: Any, autoreset_seed: int | None) -> StepOutcome:
        action = codec.first_of_batch(self.action_space, actions)
        observation, reward, terminated, truncated, info = self.env.step(action)
        if terminated or truncated:
            self._ended = "terminated" if terminated else "truncated"
        return StepOutcome(
            observations=codec.batch_of_one(self.observation_space, observation),
            rewards=[float(reward)],
            terminated=[bool(terminated)],
            truncated=[bool(truncated)],
            final_observations=[],
            infos=[info] if info else [],
        )

    def _render(self, env_index: int) -> Any:
        return self.env.render()

    def close(self) -> None:
        self.env.close()


class VectorEnvRunner(EnvRunner):
    """A Gymnasium VectorEnv: SyncVectorEnv over ``gymnasium.make`` copies, or a native vector env."""

    vector = True

    def __init__(self, env: VectorEnv, autoreset_mode: AutoresetMode, description: str) -> None:
        super().__init__()
        self.env = env
        self.num_envs = env.num_envs
        self.autoreset_mode = autoreset_mode
        self.observation_space = env.single_observation_space
        self.action_space = env.single_action_space
        self.description = description

    @classmethod
    def sync(cls, request: EnvRequest) -> VectorEnvRunner:
        make_kwargs = request.make_kwargs()

        def make_one() -> gym.Env:
            return gym.make(request.env_id, **make_kwargs)

        env = SyncVectorEnv([make_one] * request.num_envs, autoreset_mode=request.autoreset_mode)
        return cls(env, request.autoreset_mode, f"SyncVectorEnv x{request.num_envs}")

    @classmethod
    def native(cls, request: EnvRequest) -> VectorEnvRunner:
        env = gym.make_vec(
            request.env_id, num_envs=request.num_envs, vectorization_mode="vector_entry_point", **request.make_kwargs()
        )
        mode = AutoresetMode(env.metadata.get("autoreset_mode", AutoresetMode.NEXT_STEP))
        return cls(env, mode, f"native {type(env).__name__} x{request.num_envs}")

    @property
    def render_mode(self) -> str | None:
        return self.env.render_mode

    def _reset(self, seed: int | None, options: dict[str, Any] | None) -> ResetOutcome:
        observations, infos = self.env.reset(seed=seed, options=options)
        return ResetOutcome(observations, split_vector_info(infos, self.num_envs))

    def _step(self, actions: Any, autoreset_seed: int | None) -> StepOutcome:
        observations, rewards, terminated, truncated, infos = self.env.step(actions)
        finals: list[FinalObservation] = []
        if self.autoreset_mode == AutoresetMode.SAME_STEP and "final_obs" in infos:
            infos = dict(infos)
            final_obs = infos.pop("final_obs")
            final_mask = infos.pop("_final_obs")
            final_infos = split_vector_info({"i": infos.pop("final_info", {}), "_i": final_mask}, self.num_envs)
            infos.pop("_final_info", None)
            for index in np.flatnonzero(final_mask):
                info = final_infos[index]["i"] if final_infos else {}
                finals.append(FinalObservation(int(index), final_obs[index], info))
        per_env_infos = split_vector_info(infos, self.num_envs)
        if autoreset_seed is not None and finals:
            observations, per_env_infos = self._reseed(observations, per_env_infos, finals, autoreset_seed)
        return StepOutcome(
            observations=observations,
            rewards=np.asarray(rewards, dtype=np.float64).tolist(),
            terminated=np.asarray(terminated, dtype=np.bool_).tolist(),
            truncated=np.asarray(truncated, dtype=np.bool_).tolist(),
            final_observations=finals,
            infos=per_env_infos,
        )

    def _copies(self) -> list[gym.Env]:
        copies = getattr(self.env, "envs", None)
        if not isinstance(self.env, SyncVectorEnv) or copies is None:
            raise failed_precondition(f"a {self.description} session cannot reset its envs one by one")
        return list(copies)

    def _reseed(
        self, observations: Any, infos: list[Mapping[str, Any]], finals: list[FinalObservation], seed: int
    ) -> tuple[Any, list[Mapping[str, Any]]]:
        """Resets the envs that just ended again, each with seed + its index (what SyncVectorEnv did unseeded)."""
        copies = self._copies()
        elements = [codec.element_of_batch(self.observation_space, observations, i) for i in range(self.num_envs)]
        per_env: list[Mapping[str, Any]] = list(infos) if infos else [{} for _ in range(self.num_envs)]
        for final in finals:
            elements[final.env_index], per_env[final.env_index] = copies[final.env_index].reset(
                seed=seed + final.env_index
            )
        return _batch(self.observation_space, elements), per_env if any(per_env) else []

    def _replay(self, histories: list[tuple[int, list[Any]]]) -> list[Any]:
        copies = self._copies()
        replayed = []
        for index, (seed, actions) in enumerate(histories):
            observation, _ = copies[index].reset(seed=seed)
            seen = [observation]
            for step, action in enumerate(actions):
                observation, _, terminated, truncated, _ = copies[index].step(action)
                if terminated or truncated:
                    raise self._ended_in_replay(index, step)
                seen.append(observation)
            replayed.append(_batch(self.observation_space, seen))
        pending = getattr(self.env, "_autoreset_envs", None)
        if pending is not None:
            # NEXT_STEP: every env is mid-episode now, none is due for an autoreset.
            pending[:] = False
        return replayed

    def _render(self, env_index: int) -> Any:
        copies = getattr(self.env, "envs", None)
        if copies is not None:
            return copies[env_index].render()
        return self.env.render()[env_index]

    def close(self) -> None:
        self.env.close()


class SameStepCartPoleRunner(EnvRunner):
    """CartPole copies on Gymnasium's native CartPoleVectorEnv, with same-step autoreset.

    The native env only autoresets on the next step, from one shared random
    generator. Here every copy keeps its own generator, seeded like
    ``gymnasium.make`` copy i with seed + i, and an ended copy is reset in the
    step that ended it, so the results equal a SyncVectorEnv in SAME_STEP mode
    over ``gymnasium.make("CartPole-v1")`` copies, at native speed.
    """

    vector = True
    autoreset_mode = AutoresetMode.SAME_STEP

    def __init__(self, request: EnvRequest) -> None:
        super().__init__()
        self.env = gym.make_vec(
            request.env_id, num_envs=request.num_envs, vectorization_mode="vector_entry_point", **request.make_kwargs()
        )
        for attribute in ("state", "steps", "prev_done"):
            if not hasattr(self.env, attribute):
                self.env.close()
                raise TypeError(f"{type(self.env).__name__} has no {attribute!r}; cannot reset its copies one by one")
        self.num_envs = request.num_envs
        self.observation_space = self.env.single_observation_space
        self.action_space = self.env.single_action_space
        self.description = f"native {type(self.env).__name__} x{self.num_envs} with same-step autoreset"
        self._generators: list[np.random.Generator] | None = None

    @staticmethod
    def supports(request: EnvRequest, entry_point: Any) -> bool:
        return (
            isinstance(entry_point, str)
            and entry_point.endswith(":CartPoleVectorEnv")
            and request.render_mode is None
            and request.autoreset_mode == AutoresetMode.SAME_STEP
        )

    @property
    def render_mode(self) -> str | None:
        return None

    def _reset(self, seed: int | None, options: dict[str, Any] | None) -> ResetOutcome:
        self.env.reset(seed=seed, options=options)
        if seed is not None or self._generators is None:
            self._generators = [seeding.np_random(None if seed is None else seed + i)[0] for i in range(self.num_envs)]
        low, high = gym.envs.classic_control.utils.maybe_parse_reset_bounds(options, *CARTPOLE_RESET_BOUNDS)
        state = np.stack([g.uniform(low=low, high=high, size=(4,)) for g in self._generators], axis=1)
        self.env.state = state
        return ResetOutcome(state.T.astype(np.float32), [])

    def _step(self, actions: Any, autoreset_seed: int | None) -> StepOutcome:
        observations, rewards, terminated, truncated, _ = self.env.step(actions)
        ended = terminated | truncated
        finals: list[FinalObservation] = []
        if ended.any():
            generators = self._generators
            assert generators is not None
            state = self.env.state
            # Copy by copy: a few end in a step, and whole-array fancy indexing costs more than it saves.
            for i in np.flatnonzero(ended).tolist():
                if autoreset_seed is not None:
                    generators[i] = seeding.np_random(autoreset_seed + i)[0]
                finals.append(FinalObservation(i, observations[i].copy(), {}))
                # An autoreset passes no options, as SyncVectorEnv's does; every copy draws from its own generator.
                fresh = generators[i].uniform(*CARTPOLE_RESET_BOUNDS, size=(4,))
                state[:, i] = fresh
                observations[i] = fresh
            self.env.steps[ended] = 0
            self.env.prev_done[ended] = False
        return StepOutcome(
            observations=observations,
            rewards=rewards.tolist(),
            terminated=terminated.tolist(),
            truncated=truncated.tolist(),
            final_observations=finals,
            infos=[],
        )

    def _replay(self, histories: list[tuple[int, list[Any]]]) -> list[Any]:
        # Every env is reset from its seed, then all step together; an env whose history is shorter
        # is stepped too (the native env steps all) and put back as it was.
        self._generators = [seeding.np_random(seed)[0] for seed, _ in histories]
        state = np.stack([g.uniform(*CARTPOLE_RESET_BOUNDS, size=(4,)) for g in self._generators], axis=1)
        self.env.state = state
        self.env.steps[:] = 0
        self.env.prev_done[:] = False
        seen = [[state[:, i].astype(np.float32)] for i in range(self.num_envs)]
        longest = max(len(actions) for _, actions in histories)
        for step in range(longest):
            batch = np.array([actions[step] if step < len(actions) else 0 for _, actions in histories], dtype=np.int64)
            before = (self.env.state.copy(), self.env.steps.copy(), self.env.prev_done.copy())
            observations, _, terminated, truncated, _ = self.env.step(batch)
            for i, (_, actions) in enumerate(histories):
                if step < len(actions):
                    if terminated[i] or truncated[i]:
                        raise self._ended_in_replay(i, step)
                    seen[i].append(observations[i])
                else:
                    self.env.state[:, i] = before[0][:, i]
                    self.env.steps[i] = before[1][i]
                    self.env.prev_done[i] = before[2][i]
        return [np.stack(observations) for observations in seen]

    def _render(self, env_index: int) -> Any:
        raise failed_precondition('render needs a session made with render_mode "rgb_array"')

    def close(self) -> None:
        self.env.close()


def open_runner(request: EnvRequest, vector_entry_point: Any) -> EnvRunner:
    """Builds the runner a Make asks for (slow: imports and constructs envs)."""
    if not request.vector:
        return SingleEnvRunner(request)
    if vector_entry_point is not None:
        if SameStepCartPoleRunner.supports(request, vector_entry_point):
            return SameStepCartPoleRunner(request)
        if request.autoreset_mode == AutoresetMode.NEXT_STEP:
            return VectorEnvRunner.native(request)
    return VectorEnvRunner.sync(request)


def _batch(space: spaces.Space, elements: list[Any]) -> Any:
    """Elements of a space in Gymnasium's batched layout (what a vector env returns for len(elements) envs)."""
    return concatenate(space, elements, create_empty_array(space, len(elements)))


def split_vector_info(infos: Mapping[str, Any], num_envs: int) -> list[dict[str, Any]]:
    """Gymnasium's vector info (arrays plus ``_key`` masks) as one dict per env; [] when all are empty."""
    per_env: list[dict[str, Any]] = [{} for _ in range(num_envs)]
    for key, value in infos.items():
        if key.startswith("_") and key[1:] in infos:
            continue
        mask = infos.get(f"_{key}")
        if isinstance(value, Mapping):
            nested = split_vector_info(value, num_envs) or [{} for _ in range(num_envs)]
            for index in range(num_envs):
                if mask is None or mask[index]:
                    per_env[index][key] = nested[index]
        else:
            for index in range(num_envs):
                if mask is None or mask[index]:
                    per_env[index][key] = value[index]
    return per_env if any(per_env) else []
