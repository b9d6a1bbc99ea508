"""The server as a process: the stdout line clients parse, health, reflection and SIGTERM draining."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time

import grpc
import numpy as np
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from gymlink_server import healthcheck
from gymlink_server.client import SessionClient

LISTENING = re.compile(r"^gymlink-server listening on (?P<host>[^\s]+):(?P<port>\d+)$")


@pytest.fixture()
def server_process():
    process = subprocess.Popen(
        # Reflection is off by default (test_security covers that); this process shows it on.
        [sys.executable, "-m", "gymlink_server", "--port", "0", "--shutdown-grace", "5", "--reflection"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    match = LISTENING.match(line)
    assert match, f"unexpected first stdout line {line!r}"
    process.address = f"{match['host']}:{match['port']}"
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_first_stdout_line_names_the_bound_port_and_health_is_serving(server_process):
    assert server_process.address.startswith("127.0.0.1:")
    assert healthcheck.check(server_process.address)
    with grpc.insecure_channel(server_process.address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for service in ("", "gymlink.v1.EnvService"):
            reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_services_when_asked_for(server_process):
    with grpc.insecure_channel(server_process.address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
        names = {service.name for service in next(replies).list_services_response.service}
    assert {"gymlink.v1.EnvService", "grpc.health.v1.Health"} <= names


def test_sigterm_drains_lets_running_sessions_finish_and_closes_every_env(server_process):
    with grpc.insecure_channel(server_process.address) as channel:
        statuses: list[int] = []
        watch = health_pb2_grpc.HealthStub(channel).Watch(
            health_pb2.HealthCheckRequest(service="gymlink.v1.EnvService"), timeout=30
        )
        watcher = threading.Thread(target=lambda: statuses.extend(r.status for r in _until_error(watch)), daemon=True)
        watcher.start()
        client = SessionClient(channel, timeout_s=30)
        client.make("CartPole-v1", num_envs=2)
        client.reset(seed=0)
        client.step(np.ones(2, np.int64))
        abandoned = SessionClient(channel, timeout_s=30)
        abandoned.make("CartPole-v1")  # never closed: the server must close it itself

        started = time.monotonic()
        server_process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        while health_pb2.HealthCheckResponse.NOT_SERVING not in statuses and time.monotonic() < deadline:
            time.sleep(0.02)
        assert health_pb2.HealthCheckResponse.NOT_SERVING in statuses
        client.step(np.ones(2, np.int64))  # the in-flight session still works during the grace period
        assert client.close().env_steps == 4
        watch.cancel()
        return_code = server_process.wait(timeout=15)
        elapsed = time.monotonic() - started
    stderr = server_process.stderr.read()
    assert return_code == 0, stderr
    assert elapsed < 10, f"drain took {elapsed:.1f}s"
    ends = [line for line in stderr.splitlines() if " end: " in line]
    assert len(ends) == 2, stderr
    assert any("env=CartPole-v1 steps=4" in line and "closed by client" in line for line in ends)
    assert any("env=CartPole-v1 steps=0" in line for line in ends)
    assert "stopped" in stderr


def test_port_in_use_is_a_clear_error(server_process):
    port = server_process.address.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "gymlink_server", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "listening" not in result.stdout
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def _until_error(stream):
    try:
        yield from stream
    except grpc.RpcError:
        return
