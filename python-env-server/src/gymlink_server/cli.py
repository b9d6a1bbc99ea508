"""Command line: ``python -m gymlink_server [flags]``."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys

from gymlink_server import __version__
from gymlink_server.config import FLAG_OF, SecurityConfig, ServerConfig, ValueLimits
from gymlink_server.server import print_listening, run, serve

# Help for each setting; the default is appended from ServerConfig / ValueLimits.
_HELP = {
    "host": "address to bind",
    "port": "port to bind; 0 picks a free one. The bound address is printed on stdout "
    "as 'gymlink-server listening on HOST:PORT'",
    "max_sessions": "open Session streams, counted from their first byte (before make)",
    "max_num_envs": "env copies one vector session may ask for",
    "max_total_envs": "env copies over all sessions together",
    "max_map_cells": "cells of a map an env builds from a kwarg (FrozenLake's desc)",
    "max_string_chars": "characters of one string in kwargs or reset options",
    "max_items": "items of one list, dict or tensor in kwargs or reset options",
    "max_depth": "levels of lists and dicts inside each other in kwargs or reset options",
    "idle_timeout_s": "seconds without a request before a session is closed; 0 = never",
    "make_timeout_s": "seconds a new stream has to send make; 0 = never",
    "keepalive_time_s": "seconds between server pings on a quiet connection",
    "keepalive_timeout_s": "seconds a ping may go unanswered before the connection and its sessions are dropped",
    "max_message_bytes": "largest message, both directions",
    "shutdown_grace_s": "seconds sessions get to finish after SIGTERM",
}


def parse_args(argv: list[str] | None = None) -> tuple[ServerConfig, str]:
    parser = argparse.ArgumentParser(
        prog="python -m gymlink_server",
        description="Serve Gymnasium environments over gRPC (protocol gymlink.v1).",
    )
    _add_settings(parser, ServerConfig(), skip={"value_limits", "allow_env", "security", "unix_socket"})
    parser.add_argument(
        FLAG_OF["unix_socket"],
        dest="unix_socket",
        default=None,
        metavar="PATH",
        help="serve on this unix domain socket instead of --host/--port (trainer and server on one machine; "
        "plaintext, only this user may connect). Printed as 'gymlink-server listening on unix:///PATH'",
    )
    _add_settings(parser, ValueLimits(), skip=set())
    _add_security_settings(parser.add_argument_group("security (see SECURITY.md)"))
    parser.add_argument(
        FLAG_OF["allow_env"],
        dest="allow_env",
        action="append",
        default=[],
        metavar="PATTERN",
        help="allow env ids matching this fnmatch pattern (repeatable); default: every registered id",
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--version", action="version", version=f"gymlink_server {__version__}")
    args = vars(parser.parse_args(argv))
    log_level = args.pop("log_level")
    try:
        limits = ValueLimits(**{f.name: args.pop(f.name) for f in dataclasses.fields(ValueLimits)})
        security = SecurityConfig(**{f.name: args.pop(f.name) for f in dataclasses.fields(SecurityConfig)})
        config = ServerConfig(
            **{**args, "allow_env": tuple(args["allow_env"]), "value_limits": limits, "security": security}
        )
    except ValueError as error:
        parser.error(str(error))
    return config, log_level


def _add_settings(parser: argparse.ArgumentParser, defaults: object, skip: set[str]) -> None:
    for setting in dataclasses.fields(defaults):  # type: ignore[arg-type]
        if setting.name in skip:
            continue
        default = getattr(defaults, setting.name)
        parser.add_argument(
            FLAG_OF[setting.name],
            dest=setting.name,
            type=type(default),
            default=default,
            metavar=_metavar(setting.name, default),
            help=f"{_HELP[setting.name]} (default %(default)s)",
        )


def _add_security_settings(group: argparse._ArgumentGroup) -> None:
    def path(name: str, help_text: str) -> None:
        group.add_argument(FLAG_OF[name], dest=name, metavar="FILE", default=None, help=help_text)

    path("tls_cert", "PEM certificate chain: serve TLS (with --tls-key)")
    path("tls_key", "PEM private key of --tls-cert")
    path("tls_client_ca", "PEM CA bundle: require client certificates it signed (mutual TLS)")
    path("token_file", "accepted bearer tokens, one per line, re-read when the file changes; every call but "
         "the health service must send 'authorization: Bearer <token>'")
    group.add_argument(
        FLAG_OF["health_port"],
        dest="health_port",
        type=int,
        default=None,
        metavar="PORT",
        help="also serve the health service, and nothing else, in plaintext on this port (for probes that "
        "speak neither TLS nor tokens)",
    )
    group.add_argument(FLAG_OF["reflection"], dest="reflection", action="store_true",
                       help="serve gRPC server reflection (off by default)")
    group.add_argument(FLAG_OF["insecure"], dest="insecure", action="store_true",
                       help="allow a non-loopback --host without TLS and a token (a network you trust)")


def _metavar(name: str, default: object) -> str:
    if isinstance(default, str):
        return name.upper()
    return "SECONDS" if name.endswith("_s") else "N"


def main(argv: list[str] | None = None) -> int:
    config, log_level = parse_args(argv)
    logging.basicConfig(level=log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run(serve(config, on_listening=print_listening))
    except (OSError, ValueError) as error:
        logging.getLogger("gymlink_server").error("cannot serve: %s", error)
        return 1
    return 0
