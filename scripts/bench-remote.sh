#!/usr/bin/env bash
# CartPole-v1 throughput through the Java client (RemoteEnv, RemoteVectorEnv x8, x64 and x256)
# against a real env server started as a subprocess, next to in-process Gymnasium and the grpcio
# lockstep floor (bench_server.py's Python client against a server that answers with a fixed
# message), measured in one run (about 100 s plus the build). The single env runs in 5 rounds of
# floor, TCP, unix socket back to back (ratios: medians of the per-round ratios). Ends with one line:
#   summary: single_steps_per_s=N floor_trips_per_s=F single_vs_floor=R x64_vs_inprocess=R x256_vs_inprocess=Q uds_vs_tcp=U
# The Python client's counterpart is python-env-server/bench/bench_server.py.
#   scripts/bench-remote.sh [seconds-per-figure (3)]
#   scripts/bench-remote.sh --tls [seconds-per-stretch (3)] [rounds (3)]
# --tls measures what TLS and a bearer token cost instead: RemoteEnv and RemoteVectorEnv x64 against
# a plaintext and a TLS + token server, alternately in one run, with the ratios (TlsCostBenchmark).
# The server runs from this checkout's python-env-server/src in the project's virtualenv (made by
# scripts/server-venv.sh; $GYMLINK_PYTHON overrides). Builds the modules into
# java-agent/*/target-rbench (scripts/system-tests-classpath.sh; $GYMLINK_BENCH_SUFFIX overrides).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GYMLINK_PYTHON="$("$root/scripts/server-venv.sh")"
export GYMLINK_PYTHON
classpath="$("$root/scripts/system-tests-classpath.sh" "${GYMLINK_BENCH_SUFFIX:--rbench}")"
java_command=(java -Xms256m -Xmx512m -XX:+UseParallelGC -cp "$classpath")
if [[ "${1:-}" == "--tls" ]]; then
  shift
  exec "${java_command[@]}" dev.gymlink.bench.TlsCostBenchmark "$@"
fi
seconds="${1:-3}"
exec "${java_command[@]}" dev.gymlink.bench.RemoteEnvBenchmark "$seconds" "$root/python-env-server/bench/bench_server.py"
