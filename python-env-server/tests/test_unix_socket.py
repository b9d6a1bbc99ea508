"""--unix-socket: the server as a process on a unix domain socket, and the paths it refuses."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import grpc
import numpy as np
import pytest

from gymlink_server import healthcheck
from gymlink_server.cli import parse_args
from gymlink_server.client import SessionClient

PREFIX = "gymlink-server listening on "


def start_server(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gymlink_server", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def refusal(*args: str) -> str:
    """Runs a server that must refuse to start; returns its stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "gymlink_server", *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1, result.stderr
    assert "listening" not in result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture()
def socket_path(tmp_path: Path) -> Path:
    return tmp_path / "gymlink.sock"


def test_serves_sessions_on_the_socket_only_its_user_may_connect_and_removes_it_on_exit(socket_path: Path):
    process = start_server("--unix-socket", str(socket_path))
    try:
        line = process.stdout.readline().strip()
        assert line == f"{PREFIX}unix://{socket_path}"
        address = line.removeprefix(PREFIX)
        mode = os.stat(socket_path).st_mode
        assert stat.S_ISSOCK(mode)
        assert stat.S_IMODE(mode) == 0o600
        assert healthcheck.check(address)
        with grpc.insecure_channel(address) as channel:
            client = SessionClient(channel, timeout_s=30)
            client.make("CartPole-v1", seed=0)
            client.reset(seed=0)
            step = client.step(np.ones(1, np.int64))
            assert list(step.rewards) == [1.0]
            assert client.close().env_steps == 1
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not socket_path.exists()


def test_a_socket_left_by_a_server_that_is_gone_is_replaced(socket_path: Path):
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(socket_path))
    stale.close()  # the file stays, nobody listens
    process = start_server("--unix-socket", str(socket_path))
    try:
        assert process.stdout.readline().strip() == f"{PREFIX}unix://{socket_path}"
        assert healthcheck.check(f"unix://{socket_path}")
    finally:
        process.kill()
        process.wait()


def test_a_socket_another_server_listens_on_is_not_taken_over(socket_path: Path):
    first = start_server("--unix-socket", str(socket_path))
    try:
        assert first.stdout.readline().startswith(PREFIX)
        stderr = refusal("--unix-socket", str(socket_path))
        assert f"--unix-socket {socket_path}: another server is listening on it" in stderr
        assert healthcheck.check(f"unix://{socket_path}")  # the first server still has its socket
    finally:
        first.kill()
        first.wait()


def test_a_file_that_is_not_a_socket_is_left_alone(socket_path: Path):
    socket_path.write_text("precious")
    stderr = refusal("--unix-socket", str(socket_path))
    assert f"--unix-socket {socket_path} exists and is not a socket; refusing to replace it" in stderr
    assert socket_path.read_text() == "precious"


def test_a_missing_directory_and_an_overlong_path_are_named(tmp_path: Path):
    missing = tmp_path / "no-such-dir" / "gymlink.sock"
    stderr = refusal("--unix-socket", str(missing))
    assert f"directory {missing.parent} does not exist" in stderr

    deep = tmp_path / ("d" * 120)
    deep.mkdir()
    stderr = refusal("--unix-socket", str(deep / "gymlink.sock"))
    assert "a unix socket path may have at most 107" in stderr


def test_a_relative_path_is_announced_absolute(tmp_path: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "gymlink_server", "--unix-socket", "relative.sock"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert process.stdout.readline().strip() == f"{PREFIX}unix://{tmp_path / 'relative.sock'}"
    finally:
        process.kill()
        process.wait()


def test_tls_on_a_unix_socket_is_refused_with_the_reason(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--unix-socket", "/tmp/x.sock", "--tls-cert", "c.pem", "--tls-key", "k.pem"])
    assert exit_info.value.code == 2
    assert "--unix-socket serves plaintext" in capsys.readouterr().err


def test_a_port_beside_a_unix_socket_is_refused(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        parse_args(["--unix-socket", "/tmp/x.sock", "--port", "0"])
    assert "--unix-socket replaces --port: give one or the other (got --port 0)" in capsys.readouterr().err
