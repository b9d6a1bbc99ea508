"""Assembles the gRPC server (EnvService, health, reflection) and runs it until told to stop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import logging
import os
import signal
import socket
import stat
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gymlink_server.auth import BearerTokenInterceptor, TokenFile
from gymlink_server.catalog import EnvCatalog
from gymlink_server.config import SecurityConfig, ServerConfig, is_loopback
from gymlink_server.service import SERVICE_NAME, EnvService, add_to_server

log = logging.getLogger(__name__)
T = TypeVar("T")

LISTENING_PREFIX = "gymlink-server listening on"
STREAM_WINDOW_BYTES = 4 * 1024 * 1024
SERVER_OPTIONS = (
    # Fail on a port that is in use instead of sharing it with another server.
    ("grpc.so_reuseport", 0),
    # Bandwidth-delay probing pings along with data; in lockstep sessions that is extra
    # work on every message (measured: ~35 us of server CPU per round trip). A fixed,
    # generous stream window keeps large observations flowing without it.
    ("grpc.http2.bdp_probe", 0),
    ("grpc.http2.lookahead_bytes", STREAM_WINDOW_BYTES),
    # The server's own keepalive pings (see keepalive_options) go out on quiet connections too:
    # a session waiting for its client's next request is exactly the case to watch.
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
    # Clients' pings: the Java client pings every 5 minutes (GymlinkChannels.KEEPALIVE_TIME) while a
    # call is open. A ping sooner than this interval is a strike and too many strikes end the
    # connection with GOAWAY too_many_pings; 60 s leaves that client, and any that pings at most
    # once a minute, well clear of it.
    ("grpc.http2.min_ping_interval_without_data_ms", 60_000),
    ("grpc.http2.max_ping_strikes", 2),
)


def keepalive_options(config: ServerConfig) -> list[tuple[str, int]]:
    """Server pings: a client that vanished without closing its connection frees its sessions after
    keepalive_time_s + keepalive_timeout_s instead of holding them until the idle timeout."""
    return [
        ("grpc.keepalive_time_ms", int(config.keepalive_time_s * 1000)),
        ("grpc.keepalive_timeout_ms", int(config.keepalive_timeout_s * 1000)),
        # grpcio 1.85 waits for a keepalive ping's ack this long (default 60 s); keepalive_timeout_ms alone
        # left a dead connection open (measured with a relay that stops forwarding).
        ("grpc.http2.ping_timeout_ms", int(config.keepalive_timeout_s * 1000)),
    ]


def listening_line(host: str, port: int) -> str:
    """The stdout line that tells a parent process where to connect (stable: clients parse it)."""
    return f"{LISTENING_PREFIX} {tcp_address(host, port)}"


def tcp_address(host: str, port: int) -> str:
    shown_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"{shown_host}:{port}"


def unix_address(path: str) -> str:
    """gRPC's target for a unix socket: unix:///abs/path (grpcio and grpc-java both dial it)."""
    return f"unix://{path}"


# sun_path holds 108 bytes on Linux, the terminating NUL included.
_MAX_UNIX_SOCKET_PATH_BYTES = 107
# Only the server's own user may connect: connecting needs write permission on the socket file.
UNIX_SOCKET_MODE = 0o600


def free_unix_socket_path(path: str) -> str:
    """Checks that a unix socket can be bound at path and returns it absolute.

    A socket file left by a server that is gone is removed. grpcio would silently take the
    path over from a live server too, so a path another server still answers on is refused,
    as is anything that is not a socket.
    """
    absolute = os.path.abspath(path)
    if len(os.fsencode(absolute)) > _MAX_UNIX_SOCKET_PATH_BYTES:
        raise OSError(
            f"--unix-socket {absolute} is {len(os.fsencode(absolute))} bytes long; a unix socket path may have at "
            f"most {_MAX_UNIX_SOCKET_PATH_BYTES} (choose a shorter path, e.g. under /tmp or $XDG_RUNTIME_DIR)"
        )
    directory = os.path.dirname(absolute)
    if not os.path.isdir(directory):
        raise OSError(f"--unix-socket {absolute}: directory {directory} does not exist")
    try:
        mode = os.lstat(absolute).st_mode
    except FileNotFoundError:
        return absolute
    if not stat.S_ISSOCK(mode):
        raise OSError(f"--unix-socket {absolute} exists and is not a socket; refusing to replace it")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(absolute)
        except ConnectionRefusedError:
            os.unlink(absolute)  # left behind by a server that is gone
            return absolute
        except PermissionError:
            raise OSError(
                f"--unix-socket {absolute}: a socket this user may not connect to (another user's server?); "
                "choose another path"
            ) from None
        except OSError:
            pass  # anything else: binding will report it
        else:
            raise OSError(f"--unix-socket {absolute}: another server is listening on it")
    return absolute


# glibc mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_ALLOCATOR_THRESHOLD_BYTES = 128 * 1024


def return_large_blocks_to_the_os() -> None:
    """Makes glibc give memory of large requests back to the OS once they are freed.

    By default glibc raises its mmap threshold each time a large block is freed (up to
    32 MiB), after which blocks of that size come from the heap, which keeps the pages:
    20 refused 30 MiB requests left the server 125 MB larger, with all of it free inside.
    Fixed thresholds keep such blocks in their own mappings, returned on free.
    Elsewhere than glibc this does nothing.
    """
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, _ALLOCATOR_THRESHOLD_BYTES)
    mallopt(_M_TRIM_THRESHOLD, _ALLOCATOR_THRESHOLD_BYTES)


class GymlinkServer:
    """One server on one event loop: start(), then drain() when asked to stop."""

    def __init__(self, config: ServerConfig, catalog: EnvCatalog | None = None) -> None:
        # Frames are only ever rendered off-screen ("rgb_array"): keep SDL from looking for a display.
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        return_large_blocks_to_the_os()
        self.config = config
        self.catalog = catalog if catalog is not None else EnvCatalog(config.allow_env)
        self.port: int | None = None
        self.unix_socket: str | None = None
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=min(config.max_sessions + 2, 64), thread_name_prefix="gymlink-env"
        )
        self.service = EnvService(config, self.catalog, self._executor)
        self._health = health.aio.HealthServicer()
        self._server: grpc.aio.Server | None = None
        self._health_server: grpc.aio.Server | None = None
        self.health_port: int | None = None

    async def start(self) -> int | None:
        options = [
            ("grpc.max_receive_message_length", self.config.max_message_bytes),
            ("grpc.max_send_message_length", self.config.max_message_bytes),
            *SERVER_OPTIONS,
            *keepalive_options(self.config),
        ]
        security = self.config.security
        interceptors = [BearerTokenInterceptor(TokenFile(security.token_file))] if security.token_file else []
        server = grpc.aio.server(options=options, interceptors=interceptors)
        add_to_server(self.service, server)
        health_pb2_grpc.add_HealthServicer_to_server(self._health, server)
        if security.reflection:
            reflection.enable_server_reflection((SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
        if self.config.unix_socket is not None:
            self.unix_socket = free_unix_socket_path(self.config.unix_socket)
            _listen(server, f"unix:{self.unix_socket}", None)
            # Bound but not listening yet: nobody else could connect before this.
            os.chmod(self.unix_socket, UNIX_SOCKET_MODE)
        else:
            self.port = _listen(server, tcp_address(self.config.host, self.config.port), _credentials(security))
        if security.health_port is not None:
            # Probes only: health and nothing else, so that plaintext and no token reveal nothing more.
            self._health_server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
            health_pb2_grpc.add_HealthServicer_to_server(self._health, self._health_server)
            self.health_port = _listen(self._health_server, tcp_address(self.config.host, security.health_port), None)
            await self._health_server.start()
        await server.start()
        for name in (SERVICE_NAME, ""):
            await self._health.set(name, health_pb2.HealthCheckResponse.SERVING)
        self._server = server
        log.info(
            "serving %d env ids on %s, %s (max %d sessions, %d env copies, idle timeout %gs, max message %d bytes)",
            len(self.catalog.entries),
            self.address,
            _describe(self.config.security, self.health_port),
            self.config.max_sessions,
            self.config.max_total_envs,
            self.config.idle_timeout_s,
            self.config.max_message_bytes,
        )
        exposed = self.unix_socket is None and not is_loopback(self.config.host)
        if exposed and not (security.tls and security.token_file):
            log.warning(
                "serving %s without %s (--insecure): anyone who reaches this address can use the server",
                self.config.host,
                "TLS and a token" if not security.tls and not security.token_file else
                ("TLS" if not security.tls else "a token"),
            )
        return self.port

    @property
    def address(self) -> str:
        """Where clients connect: HOST:PORT, or unix:///PATH on a unix socket."""
        if self.unix_socket is not None:
            return unix_address(self.unix_socket)
        return tcp_address(self.config.host, self.port or 0)

    async def drain(self) -> None:
        """Health NOT_SERVING, refuse new sessions, give running ones the grace period, close every env."""
        if self._server is None:
            return
        log.info("draining: %d sessions open, grace %gs", self.service.active_sessions, self.config.shutdown_grace_s)
        await self._health.enter_graceful_shutdown()
        self.service.stop_accepting()
        await self._server.stop(self.config.shutdown_grace_s)
        if self._health_server is not None:
            await self._health_server.stop(0)
            self._health_server = None
        self.service.close_all()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self.unix_socket is not None:
            # grpcio usually removes it on stop; a socket file left behind would look like a server.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.unix_socket)
        self._server = None
        log.info("stopped")


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed: it cuts the server's CPU per message by about a fifth."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on the loop new_event_loop() makes."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(coroutine)


def _listen(server: grpc.aio.Server, address: str, credentials: grpc.ServerCredentials | None) -> int:
    """Binds host:port or unix:path (TLS when credentials are given) and returns the port bound."""
    try:
        if credentials is None:
            return server.add_insecure_port(address)
        return server.add_secure_port(address, credentials)
    except RuntimeError as error:  # grpc reports a failed bind (port in use, bad host) this way
        raise OSError(f"cannot listen on {address}: {error}") from None


def _credentials(security: SecurityConfig) -> grpc.ServerCredentials | None:
    if not security.tls:
        return None
    assert security.tls_cert is not None and security.tls_key is not None
    client_ca = _read_pem(security.tls_client_ca, "--tls-client-ca") if security.tls_client_ca else None
    return grpc.ssl_server_credentials(
        [(_read_pem(security.tls_key, "--tls-key"), _read_pem(security.tls_cert, "--tls-cert"))],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


def _read_pem(path: str, flag: str) -> bytes:
    try:
        data = open(path, "rb").read()
    except OSError as error:
        raise OSError(f"cannot read {flag} {path}: {error.strerror}") from None
    if b"-----BEGIN " not in data:
        raise OSError(f"{flag} {path} is not PEM (no '-----BEGIN' line)")
    return data


def _describe(security: SecurityConfig, health_port: int | None) -> str:
    parts = ["mutual TLS" if security.tls_client_ca else "TLS" if security.tls else "plaintext"]
    parts.append("bearer tokens" if security.token_file else "no token")
    if security.reflection:
        parts.append("reflection")
    if health_port is not None:
        parts.append(f"plaintext health on port {health_port}")
    return ", ".join(parts)


async def serve(config: ServerConfig, on_listening: Callable[[str], None] | None = None) -> None:
    """Runs a server until SIGTERM or SIGINT, then drains it; on_listening gets its address."""
    server = GymlinkServer(config)
    await server.start()
    if on_listening is not None:
        on_listening(server.address)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("stop signal received")
    await server.drain()


class ServerThread:
    """A server on its own event loop in a background thread (tests and benchmarks in one process)."""

    def __init__(self, config: ServerConfig) -> None:
        self._config = config
        self._loop = new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="gymlink-server", daemon=True)
        self.server: GymlinkServer | None = None
        self.port = 0
        # Where clients connect, once entered: HOST:PORT or unix:///PATH.
        self.address = ""

    def __enter__(self) -> ServerThread:
        self._thread.start()
        self.server = self._call(self._make_and_start())
        self.port = self.server.port
        self.address = self.server.address
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.server is not None:
            self._call(self.server.drain())
            self.server = None
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()

    def _call(self, coroutine):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=60)

    async def _make_and_start(self) -> GymlinkServer:
        server = GymlinkServer(self._config)
        await server.start()
        return server


def print_listening(address: str) -> None:
    print(f"{LISTENING_PREFIX} {address}", flush=True)
