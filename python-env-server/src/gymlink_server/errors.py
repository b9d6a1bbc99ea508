"""The two ways a request can fail, mapped onto gRPC status codes."""

from __future__ import annotations

import grpc


class RequestError(Exception):
    """A request failed but the session stays usable: answered with an Error response."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
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
