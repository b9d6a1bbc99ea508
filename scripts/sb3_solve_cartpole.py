"""Stable-Baselines3's DQN on CartPole-v1 with rl-baselines3-zoo's tuned hyperparameters, stopped by
gymlink's rule: a greedy 20-episode evaluation every 2,500 env steps, solved at a mean >= 475.

Run by scripts/bench-vs-sb3.sh inside a throwaway venv that has stable-baselines3; prints one JSON
line: {"solved": bool, "env_steps": N (steps when solved, else the budget), "best_eval": mean}.

    python scripts/sb3_solve_cartpole.py --seed 1 --net 256,256
"""

from __future__ import annotations

import argparse
import json

import gymnasium as gym
import numpy as np
import torch
from sb3_greedy import greedy_returns
from stable_baselines3 import DQN
from stable_baselines3.common.callbacks import BaseCallback

ENV_ID = "CartPole-v1"
THRESHOLD = 475.0
EVAL_EVERY_STEPS = 2_500
EVAL_EPISODES = 20

# rl-baselines3-zoo hyperparams/dqn.yml, CartPole-v1 (net_arch is a flag here).
ZOO_CARTPOLE = {
    "n_timesteps": 50_000,
    "learning_rate": 2.3e-3,
    "batch_size": 64,
    "buffer_size": 100_000,
    "learning_starts": 1_000,
    "gamma": 0.99,
    "target_update_interval": 10,
    "train_freq": 256,
    "gradient_steps": 128,
    "exploration_fraction": 0.16,
    "exploration_final_eps": 0.04,
}


class GreedyEvaluation(BaseCallback):
    """Evaluates the greedy policy every EVAL_EVERY_STEPS env steps and stops training once solved."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.eval_env = gym.make(ENV_ID)
        self.eval_seed = seed + 10_000
        self.next_eval = EVAL_EVERY_STEPS
        self.solved_at: int | None = None
        self.best = float("-inf")

    def _on_step(self) -> bool:
        if self.num_timesteps < self.next_eval:
            return True
        self.next_eval += EVAL_EVERY_STEPS
        mean = self._greedy_mean()
        self.best = max(self.best, mean)
        if mean >= THRESHOLD:
            self.solved_at = self.num_timesteps
            return False
        return True

    def _greedy_mean(self) -> float:
        return float(np.mean(greedy_returns(self.model, self.eval_env, self.eval_seed, EVAL_EPISODES)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--net", default="256,256", help="hidden layer widths (the zoo uses 256,256)")
    parser.add_argument("--torch-threads", type=int, default=1, help="torch's intra-op threads (default 1)")
    args = parser.parse_args()
    # torch's default (one thread per core) fights the other processes for a small machine's cores: on a
    # shared 2-core machine a gradient step took ~0.9 s with 2 threads against milliseconds with one. One
    # thread is also what the gymlink trainer computes on.
    torch.set_num_threads(args.torch_threads)
    hyper = dict(ZOO_CARTPOLE)
    budget = hyper.pop("n_timesteps")
    model = DQN(
        "MlpPolicy",
        gym.make(ENV_ID),
        policy_kwargs={"net_arch": [int(width) for width in args.net.split(",")]},
        seed=args.seed,
        device="cpu",
        verbose=0,
        **hyper,
    )
    evaluation = GreedyEvaluation(args.seed)
    model.learn(total_timesteps=budget, callback=evaluation)
    print(
        json.dumps(
            {
                "solved": evaluation.solved_at is not None,
                "env_steps": evaluation.solved_at if evaluation.solved_at is not None else budget,
                "best_eval": evaluation.best,
            }
        )
    )


if __name__ == "__main__":
    main()
