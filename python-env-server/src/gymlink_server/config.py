"""Server settings: one immutable record, validated once, defaults in one place."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PORT = 50051
MiB = 1024 * 1024


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    # 0 picks a free port; the chosen one is printed on stdout.
    port: int = DEFAULT_PORT
    max_sessions: int = 32
    # Copies one vector session may ask for; bounds the memory one client can claim.
    max_num_envs: int = 1024
    # Seconds without a request after which a session is closed; 0 never closes one.
    idle_timeout_s: float = 600.0
    # fnmatch patterns over registered env ids; empty allows every registered id.
    allow_env: tuple[str, ...] = ()
    max_message_bytes: int = 64 * MiB
    # Seconds that running sessions get to finish after SIGTERM before they are cancelled.
    shutdown_grace_s: float = 5.0

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be in 0..65535, got {self.port}")
        if self.max_sessions < 1:
            raise ValueError(f"max_sessions must be at least 1, got {self.max_sessions}")
        if self.max_num_envs < 1:
            raise ValueError(f"max_num_envs must be at least 1, got {self.max_num_envs}")
        if self.idle_timeout_s < 0:
            raise ValueError(f"idle_timeout_s must be >= 0 (0 = never), got {self.idle_timeout_s}")
        if self.max_message_bytes < 64 * 1024:
            raise ValueError(f"max_message_bytes must be at least 65536, got {self.max_message_bytes}")
        if self.shutdown_grace_s < 0:
            raise ValueError(f"shutdown_grace_s must be >= 0, got {self.shutdown_grace_s}")
        for pattern in self.allow_env:
            if ":" in pattern:
                raise ValueError(f"allow-env pattern {pattern!r} contains ':'; module:Env ids are never allowed")
