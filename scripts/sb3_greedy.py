"""The greedy evaluation the SB3 side of the bench scripts runs (sb3_solve_cartpole.py, sb3_sac.py):
episode k starts from reset(seed first_seed + k) and acts with the model's deterministic action."""

from __future__ import annotations

import gymnasium as gym
from stable_baselines3.common.base_class import BaseAlgorithm


def greedy_returns(model: BaseAlgorithm, env: gym.Env, first_seed: int, episodes: int) -> list[float]:
    returns = []
    for episode in range(episodes):
        observation, _ = env.reset(seed=first_seed + episode)
        total, done = 0.0, False
        while not done:
            action, _ = model.predict(observation, deterministic=True)
            observation, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    return returns
