"""Exit 0 when the local server reports SERVING (a container HEALTHCHECK).

Usage: python -m gymlink_server.healthcheck [ADDRESS]
ADDRESS defaults to $GYMLINK_HEALTH_ADDRESS, else 127.0.0.1:50051. The check is plaintext: on a
server with TLS, point it at the --health-port.
"""

from __future__ import annotations

import os
import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

SERVICE = "gymlink.v1.EnvService"


def check(address: str, timeout_s: float = 3.0) -> bool:
    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=SERVICE), timeout=timeout_s
            )
        except grpc.RpcError as error:
            print(f"{address}: {error.code().name} {error.details()}", file=sys.stderr)
            return False
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        print(f"{address}: {health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)}", file=sys.stderr)
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return 0 if check(args[0] if args else os.environ.get("GYMLINK_HEALTH_ADDRESS", "127.0.0.1:50051")) else 1


if __name__ == "__main__":
    sys.exit(main())
