"""CartPole throughput: in-process Gymnasium against Session streams through a real server.

    python python-env-server/bench/bench_server.py [--seconds 3]

Starts `python -m gymlink_server --port 0` as a subprocess (its own interpreter, so client
and server do not share a GIL), then measures in one run:
  - in-process gymnasium.make("CartPole-v1") steps/s,
  - a plain single-env session, steps/s,
  - vector sessions of 8 and 64 copies (same-step autoreset), env-steps/s,
and prints each with its ratio to in-process. Figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import time
from dataclasses import dataclass

import grpc
import gymnasium as gym
import numpy as np

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc

LISTENING = re.compile(r"^gymlink-server listening on (?P<address>\S+)$")


@dataclass(frozen=True)
class Figure:
    name: str
    rate: float
    unit: str
    round_trips_per_s: float | None = None


def in_process(seconds: float) -> Figure:
    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, 2, 100_000)
    steps, started = 0, time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(1000):
            _, _, terminated, truncated, _ = env.step(actions[steps % len(actions)])
            steps += 1
            if terminated or truncated:
                env.reset()
    return Figure("in-process gymnasium.make", steps / (time.perf_counter() - started), "steps/s")


async def through_server(address: str, num_envs: int, seconds: float) -> Figure:
    """One lockstep Session stream on a grpc.aio channel, stepping with random actions."""
    async with grpc.aio.insecure_channel(address) as channel:
        call = pb_grpc.EnvServiceStub(channel).Session()
        make = pb.Make(env_id="CartPole-v1", num_envs=num_envs, seed=0)
        await call.write(pb.SessionRequest(make=make))
        made = (await call.read()).made
        action_space = codec.space_from_proto(made.action_space)
        await call.write(pb.SessionRequest(reset=pb.Reset()))
        await call.read()
        rng = np.random.default_rng(1)
        # Pre-encoded requests: the figure is the server's and the transport's, not the client's encoding.
        requests = [
            pb.SessionRequest(step=pb.Step(actions=codec.encode_batch(action_space, rng.integers(0, 2, num_envs))))
            for _ in range(64)
        ]
        reset = pb.SessionRequest(reset=pb.Reset())
        round_trips, started = 0, time.perf_counter()
        deadline = started + seconds
        while True:
            await call.write(requests[round_trips % len(requests)])
            response = await call.read()
            round_trips += 1
            result = response.step_result
            if num_envs == 1 and (result.terminated[0] or result.truncated[0]):
                await call.write(reset)  # a plain session needs a reset, as gymnasium.make does
                await call.read()
            if round_trips % 256 == 0 and time.perf_counter() > deadline:
                break
        elapsed = time.perf_counter() - started
        await call.write(pb.SessionRequest(close=pb.Close()))
        await call.read()
        await call.done_writing()
    kind = "single-env session" if num_envs == 1 else f"vector session x{num_envs}"
    unit = "steps/s" if num_envs == 1 else "env-steps/s"
    return Figure(kind, round_trips * num_envs / elapsed, unit, round_trips / elapsed)


def start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gymlink_server", "--port", "0", "--log-level", "WARNING"],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    match = LISTENING.match(line)
    if not match:
        process.kill()
        raise RuntimeError(f"server did not announce its port: {line!r}")
    return process, match["address"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each measurement")
    args = parser.parse_args()

    process, address = start_server()
    try:
        baseline = in_process(args.seconds)
        figures = [baseline]
        for num_envs in (1, 8, 64):
            asyncio.run(through_server(address, num_envs, 0.5))  # warm-up
            figures.append(asyncio.run(through_server(address, num_envs, args.seconds)))
    finally:
        process.terminate()
        process.wait(timeout=15)

    print(f"CartPole-v1, server {address}, {args.seconds:g} s per figure")
    print(f"{'':28} {'rate':>14} {'':12} {'round trips/s':>14} {'vs in-process':>14}")
    for figure in figures:
        trips = f"{figure.round_trips_per_s:,.0f}" if figure.round_trips_per_s else ""
        print(
            f"{figure.name:28} {figure.rate:>14,.0f} {figure.unit:12} {trips:>14} {figure.rate / baseline.rate:>13.2f}x"
        )


if __name__ == "__main__":
    main()
