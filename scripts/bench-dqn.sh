#!/usr/bin/env bash
# The DQN agent's figures, measured in one run (about 5 minutes on 2 cores):
#   1. backend crossover: update and act cost, hidden 24/64/256 x batch 32/256, plain Java vs ND4J
#   2. training env-steps/s on the local CartPole, per backend
#   3. time to solve CartPole-v1 with defaults over 10 seeds (median, worst)
#   4. the tutorial preset over 3 seeds
# Prints Markdown tables.
#   scripts/bench-dqn.sh [quick | crossover]     # crossover: only the backend table (about a minute)
# Builds the modules into java-agent/*/target-bench (scripts/system-tests-classpath.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath="$("$root/scripts/system-tests-classpath.sh" -bench)"
# One BLAS thread, like the single-threaded Java backend; the JavaCPP flags skip a /proc read per allocation.
export OMP_NUM_THREADS=1
exec java -Xms512m -Xmx2g \
    -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
    -cp "$classpath" \
    dev.gymlink.bench.DqnBenchmark "$@"
