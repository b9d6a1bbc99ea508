"""CartPole throughput: in-process Gymnasium against Session streams through a real server.

    python python-env-server/bench/bench_server.py [--seconds 3]

Starts `python -m gymlink_server --port 0` as a subprocess (its own interpreter, so client
and server do not share a GIL), then measures in one run, with a grpc.aio client (on uvloop
when installed, like the server):
  - in-process gymnasium.make("CartPole-v1") steps/s,
  - a plain single-env session, steps/s,
  - vector sessions of 8 and 64 copies (same-step autoreset), env-steps/s,
and prints each with its ratio to in-process. Figures depend on the machine and its load.

For reference it also measures the lockstep floor of grpcio itself: the same client against
a server that answers every request with a fixed response (no env, no codec). Single-env
stepping cannot beat that figure; the CPU columns show where each round trip's time goes.
Between the two, a bare env server: the same messages answered by gymnasium.make (or the
native vector env) and the tensor encoding alone, without anything gymlink's server adds
(validation, session bookkeeping, limits, same-step autoreset): what any server that runs
the env pays. Ends with one line,
  summary: floor_trips_per_s=F bare_single_trips_per_s=B single_trips_per_s=S single_vs_bare=R
  x64_vs_bare=X x64_vs_inprocess=Q
(printed on one line), where single_vs_bare and x64_vs_bare compare gymlink's sessions with the
bare server's.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from typing import Any

import grpc
import gymnasium as gym
import numpy as np

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server.server import SERVER_OPTIONS, listening_line, run

LISTENING = re.compile(r"^gymlink-server listening on (?P<address>\S+)$")


@dataclass(frozen=True)
class Figure:
    name: str
    rate: float
    unit: str
    round_trips_per_s: float | None = None
    # CPU seconds per round trip, server process and this (client) process: what bounds lockstep.
    server_cpu_per_trip: float | None = None
    client_cpu_per_trip: float | None = None


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux /proc); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


async def through_server(address: str, num_envs: int, seconds: float, server_pid: int) -> Figure:
    """One lockstep Session stream on a grpc.aio channel, stepping with random actions."""
    # Like the server, the client skips BDP pings, which cost CPU on every message in lockstep.
    async with grpc.aio.insecure_channel(address, options=[("grpc.http2.bdp_probe", 0)]) as channel:
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
        server_cpu_before, client_cpu_before = process_cpu_seconds(server_pid), time.process_time()
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
        server_cpu_after, client_cpu_after = process_cpu_seconds(server_pid), time.process_time()
        await call.write(pb.SessionRequest(close=pb.Close()))
        await call.read()
        await call.done_writing()
    kind = "single-env session" if num_envs == 1 else f"vector session x{num_envs}"
    unit = "steps/s" if num_envs == 1 else "env-steps/s"
    server_cpu = None
    if server_cpu_before is not None and server_cpu_after is not None:
        server_cpu = (server_cpu_after - server_cpu_before) / round_trips
    return Figure(
        kind,
        round_trips * num_envs / elapsed,
        unit,
        round_trips / elapsed,
        server_cpu,
        (client_cpu_after - client_cpu_before) / round_trips,
    )


class FixedAnswerService(pb_grpc.EnvServiceServicer):
    """Answers every request with one prebuilt response: the transport's own cost."""

    def __init__(self) -> None:
        self._made = pb.SessionResponse(made=pb.Made(num_envs=1))
        self._made.made.action_space.discrete.n = 2
        self._step = pb.SessionResponse(step_result=pb.StepResult(rewards=[1.0], terminated=[False], truncated=[False]))
        self._step.step_result.observations.tensor.CopyFrom(codec.encode_tensor(np.zeros((1, 4), np.float32)))

    async def Session(self, request_iterator, context):  # type: ignore[no-untyped-def]
        while (request := await context.read()) is not grpc.aio.EOF:
            kind = request.WhichOneof("request")
            if kind == "close":
                await context.write(pb.SessionResponse(closed=pb.Closed()))
                return
            await context.write(self._made if kind == "make" else self._step)


class BareEnvService(pb_grpc.EnvServiceServicer):
    """Steps a real env per request with nothing around it: the cost of the env and the encoding alone.

    Trusts every request (no checks); a vector session is Gymnasium's native vector env, which
    resets ended copies on the next step.
    """

    async def Session(self, request_iterator, context):  # type: ignore[no-untyped-def]
        env: Any = None
        num_envs = 1
        while (request := await context.read()) is not grpc.aio.EOF:
            kind = request.WhichOneof("request")
            response = pb.SessionResponse()
            if kind == "make":
                num_envs = max(request.make.num_envs, 1)
                env_id = request.make.env_id
                env = (
                    gym.make(env_id)
                    if num_envs == 1
                    else gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point")
                )
                response.made.num_envs = num_envs
                response.made.action_space.CopyFrom(
                    codec.space_to_proto(env.action_space if num_envs == 1 else env.single_action_space)
                )
            elif kind == "reset":
                observations, _ = env.reset(seed=0)
                codec.fill_tensor(
                    response.reset_result.observations.tensor,
                    observations[np.newaxis] if num_envs == 1 else observations,
                )
            elif kind == "step":
                actions = np.frombuffer(request.step.actions.tensor.data, dtype=np.int64)
                observations, rewards, terminated, truncated, _ = env.step(
                    int(actions[0]) if num_envs == 1 else actions
                )
                result = response.step_result
                if num_envs == 1:
                    codec.fill_tensor(result.observations.tensor, observations[np.newaxis])
                    result.rewards.append(rewards)
                    result.terminated.append(terminated)
                    result.truncated.append(truncated)
                else:
                    codec.fill_tensor(result.observations.tensor, observations)
                    result.rewards.extend(rewards.tolist())
                    result.terminated.extend(terminated.tolist())
                    result.truncated.extend(truncated.tolist())
            else:
                env.close()
                await context.write(pb.SessionResponse(closed=pb.Closed()))
                return
            await context.write(response)


async def serve_alone(service: pb_grpc.EnvServiceServicer) -> None:
    server = grpc.aio.server(options=SERVER_OPTIONS)
    pb_grpc.add_EnvServiceServicer_to_server(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(listening_line("127.0.0.1", port), flush=True)
    await server.wait_for_termination()


def start_server(*extra_args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, *extra_args],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    match = LISTENING.match(line)
    if not match:
        process.kill()
        raise RuntimeError(f"server did not announce its port: {line!r}")
    return process, match["address"]


def through_reference_server(server_flag: str, num_envs: int, seconds: float) -> Figure:
    """The Python client against one of this script's own servers, started with server_flag."""
    process, address = start_server(__file__, server_flag)
    try:
        run(through_server(address, num_envs, 0.5, process.pid))  # warm-up
        return run(through_server(address, num_envs, seconds, process.pid))
    finally:
        process.kill()
        process.wait(timeout=15)


def lockstep_floor(seconds: float) -> Figure:
    """The Python client against the fixed-answer server: grpcio's own lockstep round trips/s."""
    floor = through_reference_server("--fixed-answer-server", 1, seconds)
    return replace(floor, name="grpcio floor (no env)", unit="trips/s")


def through_bare_env_server(num_envs: int, seconds: float) -> Figure:
    """The Python client against BareEnvService."""
    figure = through_reference_server("--bare-env-server", num_envs, seconds)
    return replace(figure, name=f"bare env server x{num_envs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each measurement")
    parser.add_argument("--fixed-answer-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-env-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--floor-only",
        action="store_true",
        help="measure only the grpcio lockstep floor and print floor_trips_per_s=N (scripts/bench-remote.sh)",
    )
    args = parser.parse_args()
    if args.fixed_answer_server or args.bare_env_server:
        run(serve_alone(FixedAnswerService() if args.fixed_answer_server else BareEnvService()))
        return
    if args.floor_only:
        print(f"floor_trips_per_s={lockstep_floor(args.seconds).rate:.0f}")
        return

    baseline = in_process(args.seconds)
    floor = lockstep_floor(args.seconds)
    bare_single = through_bare_env_server(1, args.seconds)
    bare_x64 = through_bare_env_server(64, args.seconds)
    figures = [baseline, floor, bare_single, bare_x64]
    process, address = start_server("-m", "gymlink_server", "--port", "0", "--log-level", "WARNING")
    try:
        for num_envs in (1, 8, 64):
            run(through_server(address, num_envs, 0.5, process.pid))  # warm-up
            figures.append(run(through_server(address, num_envs, args.seconds, process.pid)))
    finally:
        process.terminate()
        process.wait(timeout=15)

    print(f"CartPole-v1, server {address}, {args.seconds:g} s per figure, load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'':28} {'rate':>10} {'':12} {'vs in-process':>13} {'trips/s':>8} "
        f"{'server CPU/trip':>16} {'client CPU/trip':>16}"
    )
    for f in figures:
        trips = f"{f.round_trips_per_s:,.0f}" if f.round_trips_per_s else ""
        server_cpu = f"{f.server_cpu_per_trip * 1e6:.0f} us" if f.server_cpu_per_trip is not None else ""
        client_cpu = f"{f.client_cpu_per_trip * 1e6:.0f} us" if f.client_cpu_per_trip is not None else ""
        print(
            f"{f.name:28} {f.rate:>10,.0f} {f.unit:12} {f.rate / baseline.rate:>12.2f}x {trips:>8} "
            f"{server_cpu:>16} {client_cpu:>16}"
        )
    single = next(f for f in figures if f.name == "single-env session")
    x64 = next(f for f in figures if f.name == "vector session x64")
    print(
        f"summary: floor_trips_per_s={floor.rate:.0f} bare_single_trips_per_s={bare_single.rate:.0f} "
        f"single_trips_per_s={single.round_trips_per_s:.0f} single_vs_bare={single.rate / bare_single.rate:.2f} "
        f"x64_vs_bare={x64.rate / bare_x64.rate:.2f} x64_vs_inprocess={x64.rate / baseline.rate:.2f}"
    )


if __name__ == "__main__":
    main()
