#!/usr/bin/env bash
# CartPole-v1 throughput through the Java client (RemoteEnv, RemoteVectorEnv x8 and x64) against a
# real env server started as a subprocess, next to in-process Gymnasium, measured in one run
# (about 25 s plus the build). The Python client's counterpart is python-env-server/bench/bench_server.py.
#   scripts/bench-remote.sh [seconds-per-figure (3)]
#   scripts/bench-remote.sh --tls [seconds-per-stretch (3)] [rounds (3)]
# --tls measures what TLS and a bearer token cost instead: RemoteEnv and RemoteVectorEnv x64 against
# a plaintext and a TLS + token server, alternately in one run, with the ratios (TlsCostBenchmark).
# The server runs from this checkout's python-env-server/src in the project's virtualenv (made by
# scripts/server-venv.sh; $GYMLINK_PYTHON overrides). Builds the modules into
# java-agent/*/target-rbench (scripts/system-tests-classpath.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GYMLINK_PYTHON="$("$root/scripts/server-venv.sh")"
export GYMLINK_PYTHON
classpath="$("$root/scripts/system-tests-classpath.sh" -rbench)"
main=dev.gymlink.bench.RemoteEnvBenchmark
if [[ "${1:-}" == "--tls" ]]; then
  main=dev.gymlink.bench.TlsCostBenchmark
  shift
fi
exec java -Xms256m -Xmx512m -XX:+UseParallelGC \
    -cp "$classpath" \
    "$main" "$@"
