"""Stable-Baselines3's SAC on a MuJoCo env with rl-baselines3-zoo's settings, trained for a fixed
number of env steps and then evaluated greedily, the way scripts/bench-sac-vs-sb3.sh runs gymlink.

Run by scripts/bench-sac-vs-sb3.sh inside a throwaway venv that has stable-baselines3 and mujoco;
prints one JSON line: {"env_steps": N, "mean_return": .., "returns": [..], "seconds": ..}, where
seconds run from the first env step to the end of the greedy evaluation at step N (as gymlink's
evaluations.csv wall_seconds do), so model set-up and Python start-up are not in them.

    python scripts/sb3_sac.py --env HalfCheetah-v5 --steps 100000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import time

import gymnasium as gym
import numpy as np
import torch
from sb3_greedy import greedy_returns
from stable_baselines3 import SAC
from stable_baselines3.common.callbacks import BaseCallback

# rl-baselines3-zoo hyperparams/sac.yml, the MuJoCo envs (HalfCheetah, Ant, Hopper, Walker2d: one
# anchor): n_timesteps 1e6, MlpPolicy, learning_starts 10000, SB3's SAC defaults for the rest,
# written out here because bench-sac-vs-sb3.sh gives gymlink the same values.
ZOO_MUJOCO = {
    "learning_rate": 3e-4,
    "buffer_size": 1_000_000,
    "learning_starts": 10_000,
    "batch_size": 256,
    "tau": 0.005,
    "gamma": 0.99,
    "train_freq": 1,
    "gradient_steps": 1,
    "ent_coef": "auto",
}
ZOO_NET = "256,256"


class FinalGreedyEvaluation(BaseCallback):
    """At env step ``at``: plays ``episodes`` greedy episodes, records their returns, stops training."""

    def __init__(self, env_id: str, at: int, episodes: int, seed: int) -> None:
        super().__init__()
        self.eval_env = gym.make(env_id)
        self.at = at
        self.episodes = episodes
        self.eval_seed = seed + 10_000
        self.returns: list[float] = []
        self.started = 0.0
        self.seconds = 0.0

    def _on_training_start(self) -> None:
        self.started = time.perf_counter()

    def _on_step(self) -> bool:
        if self.num_timesteps < self.at:
            return True
        self.returns = greedy_returns(self.model, self.eval_env, self.eval_seed, self.episodes)
        self.seconds = time.perf_counter() - self.started
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="HalfCheetah-v5")
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--eval-episodes", type=int, default=10)
    parser.add_argument("--learning-starts", type=int, default=ZOO_MUJOCO["learning_starts"])
    parser.add_argument("--net", default=ZOO_NET, help="hidden layer widths of actor and critics (zoo: 256,256)")
    # One, as gymlink's SAC computes on one core. Torch's default, a thread per core, fell from about 60 to
    # 1-4 env steps/s on a 2-core machine shared with other work (its threads wait on each other).
    parser.add_argument("--torch-threads", type=int, default=1, help="torch's intra-op threads (default 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.torch_threads)
    hyper = {**ZOO_MUJOCO, "learning_starts": args.learning_starts}
    model = SAC(
        "MlpPolicy",
        gym.make(args.env),
        policy_kwargs={"net_arch": [int(width) for width in args.net.split(",")]},
        seed=args.seed,
        device="cpu",
        verbose=0,
        **hyper,
    )
    evaluation = FinalGreedyEvaluation(args.env, args.steps, args.eval_episodes, args.seed)
    # One step over the budget: the callback evaluates at step N and ends the run there.
    model.learn(total_timesteps=args.steps + 1, callback=evaluation)
    print(
        json.dumps(
            {
                "env_steps": args.steps,
                "mean_return": float(np.mean(evaluation.returns)),
                "returns": evaluation.returns,
                "seconds": evaluation.seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
