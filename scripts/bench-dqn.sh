#!/usr/bin/env bash
# The DQN agent's figures, measured in one run (about 5 minutes on 2 cores):
#   1. backend crossover: update and act cost, hidden 24/64/256 x batch 32/256, plain Java vs ND4J
#   2. training env-steps/s on the local CartPole, per backend
#   3. time to solve CartPole-v1 with defaults over 10 seeds (median, worst)
#   4. the tutorial preset over 3 seeds
# Prints Markdown tables.
#   scripts/bench-dqn.sh [quick]
# Builds the agent and its tests into java-agent/target-bench (Maven offline when it can).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build=(-q -Dgymlink.buildSuffix=-bench -pl java-agent test-compile dependency:build-classpath
       -Dmdep.outputFile=target-bench/classpath.txt -Dmdep.includeScope=test)
mkdir -p java-agent/target-bench
mvn -o "${build[@]}" >/dev/null 2>&1 || mvn "${build[@]}"
target="$root/java-agent/target-bench"
# One BLAS thread, like the single-threaded Java backend; the JavaCPP flags skip a /proc read per allocation.
export OMP_NUM_THREADS=1
exec java -Xms512m -Xmx2g \
    -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
    -cp "$target/classes:$target/test-classes:$(cat "$target/classpath.txt")" \
    dev.gymlink.bench.DqnBenchmark "$@"
