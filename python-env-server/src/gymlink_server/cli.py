"""Command line: ``python -m gymlink_server [flags]``."""

from __future__ import annotations

import argparse
import logging
import sys

from gymlink_server import __version__
from gymlink_server.config import DEFAULT_PORT, ServerConfig
from gymlink_server.server import print_listening, run, serve


def parse_args(argv: list[str] | None = None) -> tuple[ServerConfig, str]:
    defaults = ServerConfig()
    parser = argparse.ArgumentParser(
        prog="python -m gymlink_server",
        description="Serve Gymnasium environments over gRPC (protocol gymlink.v1).",
    )
    parser.add_argument("--host", default=defaults.host, help="address to bind (default %(default)s)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port to bind; 0 picks a free one (default %(default)s). The bound address is printed on stdout "
        "as 'gymlink-server listening on HOST:PORT'",
    )
    parser.add_argument("--max-sessions", type=int, default=defaults.max_sessions, help="default %(default)s")
    parser.add_argument(
        "--max-num-envs",
        type=int,
        default=defaults.max_num_envs,
        help="copies per vector session (default %(default)s)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=defaults.idle_timeout_s,
        help="seconds without a request before a session is closed; 0 = never (default %(default)s)",
    )
    parser.add_argument(
        "--allow-env",
        action="append",
        default=[],
        metavar="PATTERN",
        help="allow env ids matching this fnmatch pattern (repeatable); default: every registered id",
    )
    parser.add_argument("--max-message-bytes", type=int, default=defaults.max_message_bytes, help="default %(default)s")
    parser.add_argument(
        "--shutdown-grace",
        type=float,
        default=defaults.shutdown_grace_s,
        help="seconds sessions get to finish after SIGTERM (default %(default)s)",
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--version", action="version", version=f"gymlink_server {__version__}")
    args = parser.parse_args(argv)
    try:
        config = ServerConfig(
            host=args.host,
            port=args.port,
            max_sessions=args.max_sessions,
            max_num_envs=args.max_num_envs,
            idle_timeout_s=args.idle_timeout,
            allow_env=tuple(args.allow_env),
            max_message_bytes=args.max_message_bytes,
            shutdown_grace_s=args.shutdown_grace,
        )
    except ValueError as error:
        parser.error(str(error))
    return config, args.log_level


def main(argv: list[str] | None = None) -> int:
    config, log_level = parse_args(argv)
    logging.basicConfig(level=log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run(serve(config, on_listening=print_listening(config.host)))
    except OSError as error:
        logging.getLogger("gymlink_server").error("cannot serve: %s", error)
        return 1
    return 0
