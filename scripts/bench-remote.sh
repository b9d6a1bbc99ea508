#!/usr/bin/env bash
# CartPole-v1 throughput through the Java client (RemoteEnv, RemoteVectorEnv x8 and x64) against a
# real env server started as a subprocess, next to in-process Gymnasium, measured in one run
# (about 25 s plus the build). The Python client's counterpart is python-env-server/bench/bench_server.py.
#   scripts/bench-remote.sh [seconds-per-figure (3)]
# The server runs from this checkout's python-env-server/src with $GYMLINK_PYTHON (default python3),
# which needs grpcio and gymnasium. Builds the agent and its tests into java-agent/target-rbench
# (Maven offline when it can).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="$root/java-agent/target-rbench"
build=(-q -Dgymlink.buildSuffix=-rbench -pl java-agent test-compile dependency:build-classpath
       -Dmdep.outputFile="$target/classpath.txt" -Dmdep.includeScope=test)
mkdir -p "$target"
mvn -o "${build[@]}" >/dev/null 2>&1 || mvn "${build[@]}"
exec java -Xms256m -Xmx512m -XX:+UseParallelGC \
    -cp "$target/classes:$target/test-classes:$(cat "$target/classpath.txt")" \
    dev.gymlink.bench.RemoteEnvBenchmark "$@"
