"""Server settings: one immutable record, validated once, defaults in one place.

Every limit here is an operator's budget; each has a flag of the same name (see
cli.py), and a request past a limit is refused with a message naming that flag.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        for pattern in self.allow_env:
            if ":" in pattern:
                raise ValueError(f"allow-env pattern {pattern!r} contains ':'; module:Env ids are never allowed")
