"""gymlink_server: Gymnasium environments served over gRPC (protocol gymlink.v1)."""

__version__ = "0.1.0"

PROTOCOL_VERSION = "gymlink.v1"
