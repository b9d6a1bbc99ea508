"""Bearer tokens: which calls must carry one, and the file of accepted tokens.

Clients send ``authorization: Bearer <token>`` with every call. The token file holds the
accepted tokens, one per line (blank lines and lines starting with ``#`` are skipped), so that a
new token can be added before the old one is removed; the file is read again whenever its
modification time changes, so rotating needs no restart. Tokens are compared in constant time.
The health service stays open: probes need it, and it tells nothing but SERVING or NOT_SERVING.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import grpc

log = logging.getLogger(__name__)

HEALTH_METHOD_PREFIX = "/grpc.health.v1.Health/"
_SCHEME = "bearer "


class TokenFile:
    """The accepted tokens, re-read when the file changes."""

    def __init__(self, path: str) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._tokens: tuple[bytes, ...] = ()
        self._reload_if_changed()
        if not self._tokens:
            raise ValueError(f"token file {self._path} holds no tokens (one per line)")

    def accepts(self, token: str) -> bool:
        self._reload_if_changed()
        candidate = token.encode()
        # Every token is compared, so the time taken does not say which one came close.
        matched = False
        for accepted in self._tokens:
            matched |= hmac.compare_digest(candidate, accepted)
        return matched

    def _reload_if_changed(self) -> None:
        try:
            status = os.stat(self._path)
        except OSError as error:
            if self._stamp is None:
                raise ValueError(f"cannot read token file {self._path}: {error.strerror}") from None
            return  # a rotation that replaces the file: keep the last tokens until the new file is there
        stamp = (status.st_mtime_ns, status.st_size)
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            lines = self._path.read_text(encoding="utf-8").splitlines()
            tokens = tuple(line.strip().encode() for line in lines if line.strip() and not line.startswith("#"))
            if self._stamp is not None:
                if not tokens:
                    log.warning("token file %s is now empty; keeping the %d tokens read before", self._path,
                                len(self._tokens))
                    return
                log.info("token file %s changed: %d tokens accepted", self._path, len(tokens))
            self._tokens = tokens
            self._stamp = stamp


def bearer_token(metadata: tuple[tuple[str, str | bytes], ...] | None) -> str | None:
    """The token of an ``authorization: Bearer <token>`` entry, if the call has one."""
    for key, value in metadata or ():
        if key == "authorization" and isinstance(value, str) and value[: len(_SCHEME)].lower() == _SCHEME:
            return value[len(_SCHEME) :].strip()
    return None


class BearerTokenInterceptor(grpc.aio.ServerInterceptor):
    """Answers UNAUTHENTICATED to every call but the health service's unless it carries an accepted token."""

    def __init__(self, tokens: TokenFile) -> None:
        self._tokens = tokens

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        if details.method.startswith(HEALTH_METHOD_PREFIX):
            return await continuation(details)
        token = bearer_token(details.invocation_metadata)
        if token is not None and self._tokens.accepts(token):
            return await continuation(details)
        handler = await continuation(details)
        if handler is None:
            return handler
        if token is None:
            message = (
                "missing bearer token: this server requires 'authorization: Bearer <token>' "
                "(gymlink: --token-file FILE or GYMLINK_TOKEN_FILE)"
            )
        else:
            message = "bearer token rejected: it is not one of this server's tokens"
        log.info("refused %s: %s", details.method, message.split(":")[0])
        return _refusing(handler, message)


def _refusing(handler: grpc.RpcMethodHandler, message: str) -> grpc.RpcMethodHandler:
    """A handler of the same kind as ``handler`` that ends the call with UNAUTHENTICATED."""

    async def refuse(_request: object, context: grpc.aio.ServicerContext) -> None:
        # set_code instead of abort: abort raises, and the exception would keep the request alive.
        context.set_code(grpc.StatusCode.UNAUTHENTICATED)
        context.set_details(message)

    if handler.request_streaming and handler.response_streaming:
        return grpc.stream_stream_rpc_method_handler(refuse)
    if handler.request_streaming:
        return grpc.stream_unary_rpc_method_handler(refuse)
    if handler.response_streaming:
        return grpc.unary_stream_rpc_method_handler(refuse)
    return grpc.unary_unary_rpc_method_handler(refuse)
