"""Writes the CartPole-v1 golden trajectories that CartPoleGoldenTest replays in Java.

Everything comes from real Gymnasium and numpy: ``gym.make("CartPole-v1")`` episodes (seeded
resets, unseeded resets that continue the generator, reset bounds, time-limit overrides, the
Sutton-Barto reward), numpy's seeded PCG64 words and uniforms, and numpy's float64 sin/cos.
Values are bit patterns in hex, so the Java test can demand exact equality.

    python3 java-agent/env/src/test/python/generate_cartpole_golden.py

Line formats (hex = IEEE bits: 8 digits for float32, 16 for float64):
    trig X SIN COS                      float64 angle, np.sin, np.cos
    rng SEED RAW1 RAW2 RAW3 U1 U2 U3 U4 decimal seed, three random_raw() words (hex),
                                        then four uniform(-0.05, 0.05) of a fresh generator
    env MAX_EPISODE_STEPS SUTTON_BARTO  a new gym.make("CartPole-v1", ...), flag 0 or 1
    reset SEED LOW HIGH O1..O4 S1..S4   SEED/LOW/HIGH or "-" when not given (LOW/HIGH as Python
                                        floats); float32 observation, float64 state
    step A O1..O4 REWARD TERM TRUNC     action, float32 observation, reward, flags 0/1
    state S1..S4                        float64 state after the preceding step
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

import gymnasium as gym
import mpmath
import numpy as np

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "golden" / "cartpole-v1.txt"
NAMED_SEEDS = [0, 42, 2**31 + 7, 12345678901]
RNG_SEEDS = [0, 1, 42, 2**31 + 7, 2**32, 12345678901, 2**63 - 1, 2**64 + 5, 2**128 + 1]


def f32(value: float) -> str:
    return struct.pack(">f", value).hex()


def f64(value: float) -> str:
    return struct.pack(">d", value).hex()


def obs_hex(obs: np.ndarray) -> str:
    assert obs.dtype == np.float32 and obs.shape == (4,)
    return " ".join(f32(float(v)) for v in obs)


def state_hex(env: gym.Env) -> str:
    return " ".join(f64(float(v)) for v in env.unwrapped.state)


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def env(self, max_episode_steps: int = 500, sutton_barto: bool = False) -> gym.Env:
        self.lines.append(f"env {max_episode_steps} {int(sutton_barto)}")
        return gym.make("CartPole-v1", max_episode_steps=max_episode_steps, sutton_barto_reward=sutton_barto)

    def reset(self, env: gym.Env, seed: int | None = None, low: float | None = None, high: float | None = None):
        options = {}
        if low is not None:
            options["low"] = low
        if high is not None:
            options["high"] = high
        obs, _ = env.reset(seed=seed, options=options or None)
        fields = ["-" if seed is None else str(seed), "-" if low is None else repr(low), "-" if high is None else repr(high)]
        self.lines.append(f"reset {' '.join(fields)} {obs_hex(obs)} {state_hex(env)}")
        return obs

    def episode(self, env: gym.Env, policy) -> int:
        """Steps until the episode ends; returns its length."""
        obs, t = None, 0
        while True:
            action = int(policy(t, env.unwrapped.state))
            obs, reward, terminated, truncated, _ = env.step(action)
            t += 1
            self.lines.append(f"step {action} {obs_hex(obs)} {reward!r} {int(terminated)} {int(truncated)}")
            if terminated or truncated:
                self.lines.append(f"state {state_hex(env)}")
                return t


def sensitive_start_values(count: int) -> list[tuple[float, int]]:
    """Start values h (all four state variables = h) and actions whose one-step float64 state
    depends on the last bit of np.sin(h) or np.cos(h): glibc rounds them away from the correctly
    rounded value there, so any sin/cos other than glibc's changes the state."""

    def step(h, action, sin, cos):
        # CartPoleEnv.step's formula for the state (h, h, h, h); checked against gymnasium below.
        force = 10.0 if action == 1 else -10.0
        temp = (force + 0.05 * np.square(h) * sin) / 1.1
        thetaacc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * np.square(cos) / 1.1))
        xacc = temp - 0.05 * thetaacc * cos / 1.1
        return (h + 0.02 * h, h + 0.02 * xacc, h + 0.02 * h, h + 0.02 * thetaacc)

    mpmath.mp.prec = 120
    found = []
    for h in np.random.default_rng(5).uniform(-0.2, 0.2, 1_000_000):
        sin, cos = np.sin(h), np.cos(h)
        exact_sin = np.float64(float(mpmath.sin(mpmath.mpf(float(h)))))
        exact_cos = np.float64(float(mpmath.cos(mpmath.mpf(float(h)))))
        if sin == exact_sin and cos == exact_cos:
            continue
        action = len(found) % 2
        if step(h, action, sin, cos) != step(h, action, exact_sin, exact_cos):
            found.append((float(h), action, step(h, action, sin, cos)))
            if len(found) == count:
                break
    return found


def alternating(t: int, state) -> int:
    return t % 2


def random_policy(seed: int):
    rng = np.random.default_rng(seed)
    return lambda t, state: rng.integers(0, 2)


def balancing(t: int, state) -> int:
    """A linear controller that keeps the pole up for the whole time limit."""
    x, x_dot, theta, theta_dot = state
    return int(theta + 0.5 * theta_dot + 0.05 * x + 0.2 * x_dot > 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    w = Writer()
    w.lines.append(f"# CartPole-v1 golden data: gymnasium {gym.__version__}, numpy {np.__version__}.")
    w.lines.append("# Generated by java-agent/env/src/test/python/generate_cartpole_golden.py; see its docstring.")

    angles = np.random.default_rng(2024).uniform(-0.3, 0.3, 300)
    angles = np.concatenate([angles, np.random.default_rng(2025).uniform(-3.0, 3.0, 100), [0.0, 1e-9, -0.2094395]])
    for x in angles:
        x = np.float64(x)
        w.lines.append(f"trig {f64(float(x))} {f64(float(np.sin(x)))} {f64(float(np.cos(x)))}")

    for seed in RNG_SEEDS:
        raw = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed))).bit_generator.random_raw(3)
        uniforms = np.random.default_rng(seed).uniform(-0.05, 0.05, size=(4,))
        words = " ".join(format(int(v), "016x") for v in raw)
        w.lines.append(f"rng {seed} {words} {' '.join(f64(float(u)) for u in uniforms)}")

    # The named seeds with a fixed and a random action sequence.
    for seed in NAMED_SEEDS:
        env = w.env()
        w.reset(env, seed)
        w.episode(env, alternating)
        w.reset(env, seed)
        w.episode(env, random_policy(seed))

    # Full-length episodes that end by truncation at 500, one also replayed after an unseeded reset.
    env = w.env()
    w.reset(env, 42)
    assert w.episode(env, balancing) == 500
    w.reset(env)
    assert w.episode(env, balancing) == 500

    # Unseeded resets continue the generator of the last seeded one.
    env = w.env()
    w.reset(env, 7)
    for _ in range(5):
        w.episode(env, random_policy(7))
        w.reset(env)
    w.episode(env, alternating)

    # Many seeds with random actions.
    for seed in range(1, 61):
        env = w.env()
        w.reset(env, seed * 1_000_003)
        w.episode(env, random_policy(seed))

    # A time limit equal to the terminating step: terminated and truncated together.
    probe = gym.make("CartPole-v1")
    probe.reset(seed=5)
    length = 0
    while True:
        _, _, terminated, truncated, _ = probe.step(length % 2)
        length += 1
        if terminated or truncated:
            break
    env = w.env(max_episode_steps=length)
    w.reset(env, 5)
    w.episode(env, alternating)
    assert w.lines[-2].endswith(" 1 1"), "expected both flags on the last step"

    # A short time limit, then wider reset bounds, then the Sutton-Barto reward.
    env = w.env(max_episode_steps=20)
    w.reset(env, 99)
    assert w.episode(env, balancing) == 20
    env = w.env()
    w.reset(env, 123, low=-0.1, high=0.1)
    w.episode(env, random_policy(123))
    w.reset(env, None, low=-0.2, high=0.0)
    w.episode(env, alternating)
    env = w.env(sutton_barto=True)
    w.reset(env, 11)
    w.episode(env, random_policy(11))

    # One step from start states where only glibc's own rounding of sin/cos gives the right state.
    probes = sensitive_start_values(40)
    assert len(probes) == 40
    env = w.env()
    for h, action, expected in probes:
        w.reset(env, None, low=h, high=h)
        obs, reward, terminated, truncated, _ = env.step(action)
        assert tuple(float(v) for v in env.unwrapped.state) == tuple(float(v) for v in expected)
        w.lines.append(f"step {action} {obs_hex(obs)} {reward!r} {int(terminated)} {int(truncated)}")
        w.lines.append(f"state {state_hex(env)}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(w.lines) + "\n")
    steps = sum(line.startswith("step ") for line in w.lines)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {steps} steps)")


if __name__ == "__main__":
    main()
