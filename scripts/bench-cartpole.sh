#!/usr/bin/env bash
# Java CartPole steps/s next to in-process Gymnasium CartPole steps/s, measured in the same run.
# Compiles just the benchmark and the env classes it uses with javac (no Maven, no other packages),
# then runs for about 30 s.
#   scripts/bench-cartpole.sh [python-executable]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -nowarn -d "$out" \
    -sourcepath "$root/java-agent/env/src/main/java:$root/java-agent/system-tests/src/test/java" \
    "$root"/java-agent/system-tests/src/test/java/dev/gymlink/bench/CartPoleBenchmark.java
exec java -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$out" dev.gymlink.bench.CartPoleBenchmark \
    "${1:-$("$root/scripts/server-venv.sh")}"
