"""The two ways a request can fail, mapped onto gRPC status codes, and how client values appear in messages.

A status message travels in a gRPC trailer, which clients cap (8 KiB by default):
values a client sent are cut to a readable length before they go into a message,
and every message is capped as a whole, so that a refusal always arrives as itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import grpc

SHOWN_VALUE_CHARS = 80
SHOWN_LIST_ITEMS = 10
MAX_MESSAGE_CHARS = 2000


class RequestError(Exception):
    """A request failed but the session stays usable: answered with an Error response."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        message = shorten(message, MAX_MESSAGE_CHARS)
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def code_number(self) -> int:
        """The canonical status number (google.rpc.Code) that travels in Error.code."""
        return self.code.value[0]


class StreamError(RequestError):
    """The session cannot go on: the stream ends with this gRPC status."""


def invalid_argument(message: str) -> RequestError:
    return RequestError(grpc.StatusCode.INVALID_ARGUMENT, message)


def failed_precondition(message: str) -> RequestError:
    return RequestError(grpc.StatusCode.FAILED_PRECONDITION, message)


def forget_traceback(error: BaseException) -> None:
    """Drops the frames an exception (and every exception it chains to) holds.

    A frame in a traceback holds its locals, a refused request among them, and often the
    exception itself or a future that does: a reference cycle that only a full garbage
    collection frees, while the request's memory (which the collector does not count) waits.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.__traceback__ = None
        pending.extend((current.__context__, current.__cause__))


def shorten(text: str, limit: int = SHOWN_VALUE_CHARS) -> str:
    """``text`` itself, or its start and how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[: max(limit - 30, 10)]}... ({len(text)} chars)"


def shown(value: Any) -> str:
    """The repr of a client's value, cut to a readable length."""
    if isinstance(value, str) and len(value) > SHOWN_VALUE_CHARS:
        return f"{value[: SHOWN_VALUE_CHARS - 30]!r}... ({len(value)} chars)"
    return shorten(repr(value))


def shown_list(values: Iterable[Any]) -> str:
    """A list of client values for a message: the first few, each cut, and how many there were."""
    items = list(values)
    head = ", ".join(shown(item) for item in items[:SHOWN_LIST_ITEMS])
    more = f", ... ({len(items)} in all)" if len(items) > SHOWN_LIST_ITEMS else ""
    return f"[{head}{more}]"
