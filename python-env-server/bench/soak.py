"""Soak: many CartPole sessions against one server while refused and malformed requests arrive beside them.

    python python-env-server/bench/soak.py [--seconds 60] [--sessions 64]

Starts `python -m gymlink_server --port 0` on 127.0.0.1 as a subprocess, opens the sessions
(plain and vector x8 alternating) on a grpc.aio client and steps them in lockstep for the
given time, while one attacker sends, one after another, requests the server must refuse
(unknown, module:Env and 100 KB env ids, kwargs of the wrong type, an oversized map, garbage
bytes, a Value nested past protobuf's limit, a message over the cap, bad actions and reset
options in a live session, a stream that never sends make, raw garbage on the TCP port), each
checked for its status. Then it closes every session and reads the server's state.

The last stdout line is the verdict, and the exit status is 1 when it fails
(any error, any session left open, or the server's RSS grown by more than 50 MB):

    summary: steps=N errors=E server_rss_start_mb=A server_rss_end_mb=B leaked_sessions=L

steps counts env steps (a vector step of 8 copies is 8). The start RSS is taken once every
session is open and has stepped, the end RSS after all of them closed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import numpy as np
from bench_server import start_server
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server._proto import values_pb2 as vpb
from gymlink_server.client import make_request_bytes, nested_value_bytes
from gymlink_server.config import MiB
from gymlink_server.server import run

log = logging.getLogger("soak")

ALLOWED_RSS_GROWTH_MB = 50
VECTOR_COPIES = 8
CALL_TIMEOUT_S = 30.0
SERVER_FLAGS = ("--make-timeout", "2", "--log-level", "WARNING")


@dataclass
class Tally:
    steps: int = 0
    errors: int = 0
    refusals: Counter[str] = field(default_factory=Counter)

    def error(self, what: str) -> None:
        self.errors += 1
        log.error("%s", what)


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    raise RuntimeError(f"no VmRSS for process {pid}")


# ------------------------------------------------------------------ sessions that do real work


class SteppingSession:
    """One lockstep CartPole session: plain (resets after each episode) or a same-step-autoreset vector."""

    def __init__(self, channel: grpc.aio.Channel, index: int, tally: Tally) -> None:
        self.num_envs = 1 if index % 2 == 0 else VECTOR_COPIES
        self.index = index
        self._call = pb_grpc.EnvServiceStub(channel).Session(timeout=None)
        self._tally = tally
        rng = np.random.default_rng(index)
        self._steps = [
            pb.SessionRequest(
                step=pb.Step(actions=vpb.Value(tensor=codec.encode_tensor(rng.integers(0, 2, self.num_envs))))
            )
            for _ in range(32)
        ]

    async def ask(self, request: pb.SessionRequest, expected: str) -> pb.SessionResponse | None:
        await self._call.write(request)
        response = await asyncio.wait_for(self._call.read(), CALL_TIMEOUT_S)
        if response is grpc.aio.EOF or response.WhichOneof("response") != expected:
            self._tally.error(f"session {self.index}: expected {expected}, got {response}")
            return None
        return response

    async def open(self) -> None:
        make = pb.Make(env_id="CartPole-v1", num_envs=self.num_envs, seed=self.index)
        await self.ask(pb.SessionRequest(make=make), "made")
        await self.ask(pb.SessionRequest(reset=pb.Reset()), "reset_result")

    async def run_until(self, stop: asyncio.Event) -> None:
        turn = 0
        while not stop.is_set():
            response = await self.ask(self._steps[turn % len(self._steps)], "step_result")
            turn += 1
            if response is None:
                return
            self._tally.steps += self.num_envs
            result = response.step_result
            if self.num_envs == 1 and (result.terminated[0] or result.truncated[0]):
                await self.ask(pb.SessionRequest(reset=pb.Reset()), "reset_result")

    async def close(self) -> None:
        await self.ask(pb.SessionRequest(close=pb.Close()), "closed")
        await self._call.done_writing()


# ------------------------------------------------------------------ what the server must refuse


def make_bytes(env_id: str, **kwargs: vpb.Value) -> bytes:
    return make_request_bytes(env_id, {key: value.SerializeToString() for key, value in kwargs.items()})


def text_list(texts: list[str]) -> vpb.Value:
    return codec.value_from_python(texts)


STEP_LEFT = pb.SessionRequest(
    step=pb.Step(actions=vpb.Value(tensor=codec.encode_tensor(np.array([0])))),
).SerializeToString()
MAKE_CARTPOLE = make_bytes("CartPole-v1")
RESET = pb.SessionRequest(reset=pb.Reset()).SerializeToString()


@dataclass(frozen=True)
class Attack:
    """Requests sent on one stream, the status the stream must end with, the Error codes its answers carry."""

    name: str
    requests: list[bytes]
    status: grpc.StatusCode
    error_codes: tuple[grpc.StatusCode, ...] = ()


def attacks() -> list[Attack]:
    bad_action = pb.SessionRequest(
        step=pb.Step(actions=vpb.Value(tensor=codec.encode_tensor(np.array([7]))))
    ).SerializeToString()
    bad_options = pb.SessionRequest(reset=pb.Reset(options={"low": vpb.Value(text="abc")})).SerializeToString()
    oversized = pb.SessionRequest(
        step=pb.Step(actions=vpb.Value(tensor=codec.encode_tensor(np.zeros(5 * MiB, np.uint8))))
    ).SerializeToString()
    code = grpc.StatusCode
    return [
        Attack("unknown env id", [make_bytes("CartPole-v9")], code.NOT_FOUND),
        Attack("module:Env id", [make_bytes("os:system")], code.PERMISSION_DENIED),
        Attack("100 KB env id", [make_bytes("x" * 100_000)], code.NOT_FOUND),
        Attack(
            "bool kwarg as text", [make_bytes("FrozenLake-v1", is_slippery=vpb.Value(text="no"))], code.INVALID_ARGUMENT
        ),
        Attack(
            "probability 5", [make_bytes("Taxi-v4", rainy_probability=vpb.Value(number=5.0))], code.INVALID_ARGUMENT
        ),
        Attack(
            "400x400 lake",
            [make_bytes("FrozenLake-v1", desc=text_list(["S" + "F" * 399] * 400))],
            code.RESOURCE_EXHAUSTED,
        ),
        Attack("garbage bytes", [b"\x0a\xff\xff\xff\x07"], code.INVALID_ARGUMENT),
        Attack(
            "Value nested 60 deep",
            [make_request_bytes("CartPole-v1", {"sutton_barto_reward": nested_value_bytes(60)})],
            code.INVALID_ARGUMENT,
        ),
        Attack(
            "num_envs 100000",
            [pb.SessionRequest(make=pb.Make(env_id="CartPole-v1", num_envs=100_000)).SerializeToString()],
            code.RESOURCE_EXHAUSTED,
        ),
        Attack("message over the cap", [MAKE_CARTPOLE, RESET, oversized], code.RESOURCE_EXHAUSTED),
        Attack(
            "bad action, bad reset options, garbage, in a live session",
            [MAKE_CARTPOLE, RESET, bad_action, bad_options, b"\xff\xff", RESET, STEP_LEFT],
            code.OK,
            (code.INVALID_ARGUMENT, code.INVALID_ARGUMENT, code.INVALID_ARGUMENT),
        ),
    ]


async def send_attack(channel: grpc.aio.Channel, attack: Attack, tally: Tally) -> None:
    session = channel.stream_stream(
        "/gymlink.v1.EnvService/Session",
        request_serializer=lambda data: data,
        response_deserializer=pb.SessionResponse.FromString,
    )
    call = session(iter(attack.requests), timeout=CALL_TIMEOUT_S)
    error_codes = []
    try:
        async for response in call:
            if response.WhichOneof("response") == "error":
                error_codes.append(response.error.code)
        status = await call.code()
    except grpc.RpcError as error:
        status = error.code()
    expected_errors = [code.value[0] for code in attack.error_codes]
    if status != attack.status or error_codes != expected_errors:
        tally.error(
            f"{attack.name}: status {status.name}, errors {error_codes}; "
            f"expected {attack.status.name}, {expected_errors}"
        )
    else:
        tally.refusals[attack.name] += 1


async def silent_stream(channel: grpc.aio.Channel, tally: Tally) -> None:
    """A stream that never sends make: the server closes it after --make-timeout."""
    call = pb_grpc.EnvServiceStub(channel).Session(timeout=CALL_TIMEOUT_S)
    try:
        response = await call.read()
        status = await call.code() if response is grpc.aio.EOF else None
    except grpc.RpcError as error:
        status = error.code()
    if status != grpc.StatusCode.DEADLINE_EXCEEDED:
        tally.error(f"stream without make: ended {status}, expected DEADLINE_EXCEEDED")
    else:
        tally.refusals["stream without make"] += 1


async def raw_garbage(address: str, tally: Tally) -> None:
    """Bytes that are not HTTP/2 at all on the server's port."""
    host, port = address.rsplit(":", 1)
    try:
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"GET / HTTP/1.1\r\n\r\n" + bytes(range(256)) * 4)
        await writer.drain()
        await asyncio.wait_for(reader.read(1024), 5)
        writer.close()
        tally.refusals["raw garbage on the port"] += 1
    except (OSError, asyncio.TimeoutError) as error:
        tally.error(f"raw garbage: {error!r}")


async def attack_until(address: str, stop: asyncio.Event, tally: Tally) -> None:
    cases = attacks()
    async with grpc.aio.insecure_channel(address, options=[("grpc.max_send_message_length", 8 * MiB)]) as channel:
        silent = asyncio.create_task(silent_stream(channel, tally))
        turn = 0
        while not stop.is_set():
            await send_attack(channel, cases[turn % len(cases)], tally)
            turn += 1
            if turn % len(cases) == 0:
                await raw_garbage(address, tally)
            if silent.done():
                silent = asyncio.create_task(silent_stream(channel, tally))
        await silent


# ------------------------------------------------------------------ the run


async def soak(address: str, server_pid: int, seconds: float, sessions: int) -> tuple[Tally, int, int, int]:
    tally = Tally()
    stop = asyncio.Event()
    options = [("grpc.http2.bdp_probe", 0)]
    # A few channels, as a few client processes would have: one HTTP/2 connection per channel.
    channels = [grpc.aio.insecure_channel(address, options=options) for _ in range(4)]
    stepping = [SteppingSession(channels[i % len(channels)], i, tally) for i in range(sessions)]
    await asyncio.gather(*(session.open() for session in stepping))
    warm_up = asyncio.Event()
    warm_tasks = [asyncio.create_task(session.run_until(warm_up)) for session in stepping]
    await asyncio.sleep(2)
    warm_up.set()
    await asyncio.gather(*warm_tasks)
    rss_start = rss_mb(server_pid)
    log.info("%d sessions open, server RSS %d MB; soaking for %g s", sessions, rss_start, seconds)

    started = time.monotonic()
    tasks = [asyncio.create_task(session.run_until(stop)) for session in stepping]
    tasks.append(asyncio.create_task(attack_until(address, stop, tally)))
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - started
    await asyncio.gather(*(session.close() for session in stepping))

    async with grpc.aio.insecure_channel(address) as channel:
        leaked = await open_sessions_after(channel, settle_s=10)
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="gymlink.v1.EnvService"), timeout=10
        )
    if health.status != health_pb2.HealthCheckResponse.SERVING:
        tally.error(f"health is {health_pb2.HealthCheckResponse.ServingStatus.Name(health.status)}")
    for channel in channels:
        await channel.close()
    rss_end = rss_mb(server_pid)
    log.info(
        "%.0f env-steps/s over %.0f s; refused as expected: %s",
        tally.steps / elapsed,
        elapsed,
        dict(tally.refusals),
    )
    return tally, rss_start, rss_end, leaked


async def open_sessions_after(channel: grpc.aio.Channel, settle_s: float) -> int:
    """Sessions still open once the server had ``settle_s`` to notice every stream's end."""
    deadline = time.monotonic() + settle_s
    while True:
        reply = await pb_grpc.EnvServiceStub(channel).ListEnvs(pb.ListEnvsRequest(), timeout=10)
        if reply.server.active_sessions == 0 or time.monotonic() > deadline:
            return reply.server.active_sessions
        await asyncio.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the sessions step (default %(default)s)")
    parser.add_argument("--sessions", type=int, default=64, help="stepping sessions (default %(default)s)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s soak: %(message)s")
    # Room for the attacker's streams beside the stepping sessions.
    max_sessions = str(args.sessions + 8)
    process, address = start_server(
        "-m", "gymlink_server", "--port", "0", "--max-sessions", max_sessions, *SERVER_FLAGS
    )
    try:
        tally, rss_start, rss_end, leaked = run(soak(address, process.pid, args.seconds, args.sessions))
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(
        f"summary: steps={tally.steps} errors={tally.errors} server_rss_start_mb={rss_start} "
        f"server_rss_end_mb={rss_end} leaked_sessions={leaked}",
        flush=True,
    )
    failed = tally.errors > 0 or leaked > 0 or rss_end - rss_start > ALLOWED_RSS_GROWTH_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
