"""TLS, mutual TLS, bearer tokens, the plaintext health port, reflection, and where the server refuses to listen."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gymlink_server._proto import env_service_pb2 as pb
from gymlink_server._proto import env_service_pb2_grpc as pb_grpc
from gymlink_server.cli import parse_args
from gymlink_server.client import SessionClient
from gymlink_server.config import SecurityConfig, ServerConfig, is_loopback
from gymlink_server.devcerts import write_dev_pki
from gymlink_server.server import ServerThread

HEALTH_REQUEST = health_pb2.HealthCheckRequest(service="gymlink.v1.EnvService")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki")
    write_dev_pki(directory)
    return directory


def token_of(pki: Path) -> str:
    return (pki / "tokens").read_text().strip()


def secure_config(pki: Path, **security: object) -> ServerConfig:
    settings = {
        "tls_cert": str(pki / "server.crt"),
        "tls_key": str(pki / "server.key"),
        "token_file": str(pki / "tokens"),
        **security,
    }
    return ServerConfig(port=0, shutdown_grace_s=0.5, security=SecurityConfig(**settings))  # type: ignore[arg-type]


def tls_channel(server: ServerThread, pki: Path, client_cert: bool = False) -> grpc.Channel:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=(pki / "ca.crt").read_bytes(),
        private_key=(pki / "client.key").read_bytes() if client_cert else None,
        certificate_chain=(pki / "client.crt").read_bytes() if client_cert else None,
    )
    return grpc.secure_channel(f"localhost:{server.port}", credentials)


def list_envs(channel: grpc.Channel, token: str | None) -> pb.ListEnvsResponse:
    metadata = (("authorization", f"Bearer {token}"),) if token is not None else None
    return pb_grpc.EnvServiceStub(channel).ListEnvs(pb.ListEnvsRequest(), metadata=metadata, timeout=10)


@pytest.fixture(scope="module")
def secure_server(pki: Path) -> Iterator[ServerThread]:
    with ServerThread(secure_config(pki, health_port=0)) as running:
        yield running


def test_a_valid_token_over_tls_is_served(secure_server: ServerThread, pki: Path) -> None:
    with tls_channel(secure_server, pki) as channel:
        assert len(list_envs(channel, token_of(pki)).envs) > 0


@pytest.mark.parametrize(
    ("token", "message"),
    [(None, "missing bearer token"), ("not-the-token", "bearer token rejected")],
)
def test_calls_without_a_valid_token_are_unauthenticated(
    secure_server: ServerThread, pki: Path, token: str | None, message: str
) -> None:
    with tls_channel(secure_server, pki) as channel, pytest.raises(grpc.RpcError) as refused:
        list_envs(channel, token)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert refused.value.details().startswith(message)


def test_a_session_without_a_token_is_refused_and_holds_no_slot(secure_server: ServerThread, pki: Path) -> None:
    with tls_channel(secure_server, pki) as channel:
        client = SessionClient(channel, timeout_s=10)
        with pytest.raises(grpc.RpcError) as refused:
            client.make("CartPole-v1")
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        client.cancel()
    assert secure_server.server is not None
    assert secure_server.server.service.active_sessions == 0


def test_health_answers_without_a_token(secure_server: ServerThread, pki: Path) -> None:
    with tls_channel(secure_server, pki) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(HEALTH_REQUEST, timeout=10)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_the_health_port_serves_health_in_plaintext_and_nothing_else(secure_server: ServerThread) -> None:
    assert secure_server.server is not None and secure_server.server.health_port
    with grpc.insecure_channel(f"127.0.0.1:{secure_server.server.health_port}") as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(HEALTH_REQUEST, timeout=10)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.RpcError) as refused:
            list_envs(channel, None)
    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_a_plaintext_client_cannot_talk_to_a_tls_server(secure_server: ServerThread, pki: Path) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{secure_server.port}") as channel, pytest.raises(grpc.RpcError) as refused:
        list_envs(channel, token_of(pki))
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_reflection_is_off_unless_asked_for(secure_server: ServerThread, pki: Path) -> None:
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    request = reflection_pb2.ServerReflectionRequest(list_services="")
    metadata = (("authorization", f"Bearer {token_of(pki)}"),)
    with tls_channel(secure_server, pki) as channel, pytest.raises(grpc.RpcError) as refused:
        next(reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(iter([request]), metadata=metadata))
    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED

    reflecting = ServerConfig(port=0, shutdown_grace_s=0.5, security=SecurityConfig(reflection=True))
    with ServerThread(reflecting) as open_server:
        with grpc.insecure_channel(open_server.address) as channel:
            reply = next(reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(iter([request])))
    assert "gymlink.v1.EnvService" in {service.name for service in reply.list_services_response.service}


def test_mutual_tls_requires_a_client_certificate_from_its_ca(pki: Path) -> None:
    config = secure_config(pki, tls_client_ca=str(pki / "ca.crt"))
    with ServerThread(config) as server:
        with tls_channel(server, pki, client_cert=True) as channel:
            assert len(list_envs(channel, token_of(pki)).envs) > 0
        with tls_channel(server, pki, client_cert=False) as channel, pytest.raises(grpc.RpcError) as refused:
            list_envs(channel, token_of(pki))
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_tokens_rotate_without_a_restart(pki: Path, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("old-token\n")
    with ServerThread(secure_config(pki, token_file=str(tokens))) as server, tls_channel(server, pki) as channel:
        assert list_envs(channel, "old-token").envs
        # A new token is added next to the old one, then the old one goes.
        tokens.write_text("# rotated\nold-token\nnew-token\n")
        _touch_later(tokens)
        assert list_envs(channel, "new-token").envs
        assert list_envs(channel, "old-token").envs
        tokens.write_text("new-token\n")
        _touch_later(tokens)
        assert list_envs(channel, "new-token").envs
        with pytest.raises(grpc.RpcError) as refused:
            list_envs(channel, "old-token")
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


def _touch_later(path: Path) -> None:
    """Moves the modification time on, so a rewrite within one clock tick still counts as a change."""
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))


def test_an_empty_token_file_is_refused_at_start(pki: Path, tmp_path: Path) -> None:
    empty = tmp_path / "tokens"
    empty.write_text("\n# no tokens yet\n")
    with pytest.raises(ValueError, match="holds no tokens"):
        with ServerThread(secure_config(pki, token_file=str(empty))):
            pass


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "gymlink.example.org"])
def test_a_reachable_address_needs_tls_and_a_token_or_insecure(host: str, pki: Path) -> None:
    with pytest.raises(ValueError, match="--insecure"):
        ServerConfig(host=host)
    with pytest.raises(ValueError, match="--insecure"):
        ServerConfig(host=host, security=SecurityConfig(token_file=str(pki / "tokens")))
    ServerConfig(host=host, security=SecurityConfig(insecure=True))
    ServerConfig(
        host=host,
        security=SecurityConfig(
            tls_cert=str(pki / "server.crt"), tls_key=str(pki / "server.key"), token_file=str(pki / "tokens")
        ),
    )


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                                ("0.0.0.0", False), ("10.0.0.1", False)])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) == loopback


def test_flags_that_go_together_are_checked(pki: Path) -> None:
    with pytest.raises(ValueError, match="--tls-cert and --tls-key"):
        SecurityConfig(tls_cert=str(pki / "server.crt"))
    with pytest.raises(ValueError, match="--tls-client-ca needs"):
        SecurityConfig(tls_client_ca=str(pki / "ca.crt"))
    with pytest.raises(SystemExit):
        parse_args(["--host", "0.0.0.0"])
    config, _ = parse_args(["--host", "0.0.0.0", "--insecure", "--reflection", "--health-port", "8081"])
    assert config.security == SecurityConfig(health_port=8081, reflection=True, insecure=True)
