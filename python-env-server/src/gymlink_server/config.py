"""Server settings: one immutable record, validated once, defaults in one place.

Every limit here is an operator's budget; each has a flag of the same name (see
cli.py), and a request past a limit is refused with a message naming that flag.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

DEFAULT_PORT = 50051
MiB = 1024 * 1024

# The command-line flag of each setting (a ServerConfig or ValueLimits field); refusals name it.
FLAG_OF = {
    "host": "--host",
    "port": "--port",
    "max_sessions": "--max-sessions",
    "max_num_envs": "--max-num-envs",
    "max_total_envs": "--max-total-envs",
    "max_map_cells": "--max-map-cells",
    "max_string_chars": "--max-kwarg-string-chars",
    "max_items": "--max-kwarg-items",
    "max_depth": "--max-kwarg-depth",
    "idle_timeout_s": "--idle-timeout",
    "make_timeout_s": "--make-timeout",
    "keepalive_time_s": "--keepalive-time",
    "keepalive_timeout_s": "--keepalive-timeout",
    "allow_env": "--allow-env",
    "max_message_bytes": "--max-message-bytes",
    "shutdown_grace_s": "--shutdown-grace",
    "tls_cert": "--tls-cert",
    "tls_key": "--tls-key",
    "tls_client_ca": "--tls-client-ca",
    "token_file": "--token-file",
    "health_port": "--health-port",
    "reflection": "--reflection",
    "insecure": "--insecure",
    "unix_socket": "--unix-socket",
}


@dataclass(frozen=True)
class ValueLimits:
    """Bounds on the kwargs and reset options a client sends (a Value tree decoded into Python)."""

    # Characters of one string (dict keys included).
    max_string_chars: int = 1024
    # Items of one list or dict, elements of one tensor.
    max_items: int = 1024
    # Levels of lists and dicts inside each other; a flat list is depth 1.
    max_depth: int = 4

    def __post_init__(self) -> None:
        for name in ("max_string_chars", "max_items", "max_depth"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")


@dataclass(frozen=True)
class SecurityConfig:
    """Who may connect and what is served to whom (see SECURITY.md for the threat model)."""

    # PEM certificate chain and key: the main port serves TLS when both are given.
    tls_cert: str | None = None
    tls_key: str | None = None
    # PEM CA bundle: clients must then present a certificate it signed (mutual TLS).
    tls_client_ca: str | None = None
    # Accepted bearer tokens, one per line; every call but the health service must carry one.
    token_file: str | None = None
    # A second, plaintext port serving grpc.health.v1 and nothing else, for probes that speak
    # neither TLS nor tokens (Kubernetes' gRPC probes); None serves no such port.
    health_port: int | None = None
    # Server reflection lists the services and messages to anyone who asks: off unless wanted.
    reflection: bool = False
    # Allows a non-loopback address without TLS and a token (a trusted private network).
    insecure: bool = False

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    def __post_init__(self) -> None:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("--tls-cert and --tls-key go together: give both or neither")
        if self.tls_client_ca is not None and not self.tls:
            raise ValueError("--tls-client-ca needs --tls-cert and --tls-key (mutual TLS is TLS first)")
        if self.health_port is not None and not 0 <= self.health_port <= 65535:
            raise ValueError(f"--health-port must be in 0..65535, got {self.health_port}")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    # 0 picks a free port; the chosen one is printed on stdout.
    port: int = DEFAULT_PORT
    # Open Session streams, counted from the moment a stream arrives (before its make).
    max_sessions: int = 32
    # Copies one vector session may ask for; bounds the memory one client can claim.
    max_num_envs: int = 1024
    # Env copies over all sessions together: the memory and CPU all clients can claim.
    max_total_envs: int = 4096
    # Cells of a map an env builds from a kwarg (FrozenLake's desc).
    max_map_cells: int = 1024
    value_limits: ValueLimits = ValueLimits()
    # Seconds without a request after which a session is closed; 0 never closes one.
    idle_timeout_s: float = 600.0
    # Seconds a new stream has to send its make; 0 waits forever.
    make_timeout_s: float = 10.0
    # Seconds between the server's HTTP/2 pings on a quiet connection, and how long an answer may take:
    # a client that vanished without closing its connection loses its sessions after the sum.
    keepalive_time_s: float = 20.0
    keepalive_timeout_s: float = 10.0
    # fnmatch patterns over registered env ids; empty allows every registered id.
    allow_env: tuple[str, ...] = ()
    # Per message, both directions. A CartPole message is under 1 KiB; a 96x96 RGB frame 27 KiB.
    max_message_bytes: int = 4 * MiB
    # Seconds that running sessions get to finish after SIGTERM before they are cancelled.
    shutdown_grace_s: float = 5.0
    security: SecurityConfig = field(default_factory=SecurityConfig)
    # A unix domain socket to serve on instead of host:port (trainer and server on one machine);
    # host still applies to the health port.
    unix_socket: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be in 0..65535, got {self.port}")
        for name in ("max_sessions", "max_num_envs", "max_total_envs", "max_map_cells"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("idle_timeout_s", "make_timeout_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0 (0 = never), got {getattr(self, name)}")
        if self.keepalive_time_s <= 0 or self.keepalive_timeout_s <= 0:
            raise ValueError(
                f"keepalive time and timeout must be positive, got {self.keepalive_time_s} and "
                f"{self.keepalive_timeout_s}"
            )
        if self.max_message_bytes < 64 * 1024:
            raise ValueError(f"max_message_bytes must be at least 65536, got {self.max_message_bytes}")
        if self.shutdown_grace_s < 0:
            raise ValueError(f"shutdown_grace_s must be >= 0, got {self.shutdown_grace_s}")
        if self.security.health_port is not None and self.security.health_port == self.port != 0:
            raise ValueError(f"--health-port must differ from --port ({self.port})")
        if self.unix_socket is not None and self.port != DEFAULT_PORT:
            raise ValueError(f"--unix-socket replaces --port: give one or the other (got --port {self.port})")
        if self.unix_socket is not None and self.security.tls:
            raise ValueError(
                "--unix-socket serves plaintext: the socket never leaves this machine and its file permissions "
                "decide who connects; drop --tls-cert/--tls-key, or serve TLS on --host/--port instead"
            )
        exposed = self.unix_socket is None and not is_loopback(self.host)
        protected = self.security.tls and self.security.token_file is not None
        if exposed and not protected and not self.security.insecure:
            raise ValueError(
                f"refusing to serve {self.host}, which other machines can reach, without TLS and a token: "
                "give --tls-cert, --tls-key and --token-file, or pass --insecure on a network you trust"
            )
        for pattern in self.allow_env:
            if ":" in pattern:
                raise ValueError(f"allow-env pattern {pattern!r} contains ':'; module:Env ids are never allowed")
