"""Refused and failed requests give their memory back: a server process measured from outside."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import numpy as np
import pytest
from conftest import run_raw_session
from test_process import LISTENING

from gymlink_server import codec
from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import values_pb2 as vpb
from gymlink_server.client import SessionClient, field_bytes, make_request_bytes

log = logging.getLogger(__name__)

PAYLOAD_BYTES = 30 * 1024 * 1024
MESSAGE_CAP_BYTES = 40 * 1024 * 1024
REFUSED_REQUESTS = 50
ALLOWED_GROWTH_MB = 100


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


def tiny_values(total_bytes: int) -> bytes:
    """A Value holding a list of discrete=1 Values, ``total_bytes`` long: millions of small objects to parse."""
    entry = field_bytes(1, b"\x10\x01")  # TupleValue.values += Value{discrete: 1}
    return field_bytes(3, entry * (total_bytes // len(entry)))


def big_tensor(total_bytes: int) -> bytes:
    return vpb.Value(tensor=codec.encode_tensor(np.zeros(total_bytes, np.uint8))).SerializeToString()


def step_request(value: bytes) -> bytes:
    return field_bytes(3, field_bytes(1, value))  # SessionRequest.step{actions}


@pytest.fixture()
def big_message_server() -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gymlink_server", "--port", "0", "--max-message-bytes", str(MESSAGE_CAP_BYTES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    match = LISTENING.match(process.stdout.readline().strip())
    assert match, "the server did not start"
    process.address = f"{match['host']}:{match['port']}"
    yield process
    process.kill()
    process.wait()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc")
def test_rss_returns_after_50_refused_30_mib_requests(big_message_server, record_property):
    tiny = tiny_values(PAYLOAD_BYTES)
    tensor = big_tensor(PAYLOAD_BYTES)
    make_cartpole = pb.SessionRequest(make=pb.Make(env_id="CartPole-v1")).SerializeToString()
    # (requests on one stream, the status the stream must end with)
    attacks = [
        ([make_request_bytes("NoSuch-v0", {"x": tiny})], grpc.StatusCode.NOT_FOUND),
        ([make_request_bytes("NoSuch-v0", {"x": tensor})], grpc.StatusCode.NOT_FOUND),
        ([make_request_bytes("CartPole-v1", {"sutton_barto_reward": tiny})], grpc.StatusCode.RESOURCE_EXHAUSTED),
        ([make_cartpole, step_request(tensor)], grpc.StatusCode.OK),  # answered by an Error, the session lives on
    ]
    options = [("grpc.max_send_message_length", MESSAGE_CAP_BYTES), ("grpc.max_receive_message_length", -1)]
    with grpc.insecure_channel(big_message_server.address, options=options) as channel:
        warm_up = SessionClient(channel, timeout_s=60)
        warm_up.make("CartPole-v1")
        warm_up.reset(seed=0)
        warm_up.close()
        start = rss_mb(big_message_server.pid)
        peak = start
        for index in range(REFUSED_REQUESTS):
            requests, expected = attacks[index % len(attacks)]
            responses, code, details = run_raw_session(channel, requests, timeout_s=120)
            assert code == expected, details
            if code == grpc.StatusCode.OK:
                assert responses[-1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
            peak = max(peak, rss_mb(big_message_server.pid))
        end = rss_mb(big_message_server.pid)
    log.info("server RSS: start %.0f MB, peak %.0f MB, end %.0f MB", start, peak, end)
    record_property("server_rss_mb", {"start": round(start), "peak": round(peak), "end": round(end)})
    assert end - start <= ALLOWED_GROWTH_MB, f"RSS grew from {start:.0f} MB to {end:.0f} MB (peak {peak:.0f} MB)"
