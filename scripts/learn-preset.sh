#!/usr/bin/env bash
# Trains the DQN agent on an env with its bundled preset (java-agent/src/main/resources/dev/gymlink/
# presets/dqn-presets.json), once per seed, against a running env server, and prints for each seed
# whether a greedy evaluation reached the threshold and the mean return of a final set of greedy
# episodes. One run at a time uses about one core.
#
#   python -m gymlink_server --port 50051 &            # the env server (box2d installed for LunarLander)
#   scripts/learn-preset.sh Acrobot-v1 1,2,3            # [FINAL_EPISODES (100)] [STEPS (the preset's)]
#
# Environment: GYMLINK_SERVER (default localhost:50051); extra Maven flags in MAVEN_ARGS, e.g.
# MAVEN_ARGS="-o -Dgymlink.buildSuffix=-mine" (the build then lives in java-agent/target-mine).
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 ENV_ID SEED[,SEED...] [FINAL_EPISODES] [STEPS]" >&2
  exit 2
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
read -r -a maven_args <<< "${MAVEN_ARGS:-}"
suffix=""
for arg in "${maven_args[@]}"; do
  [[ "$arg" == -Dgymlink.buildSuffix=* ]] && suffix="${arg#-Dgymlink.buildSuffix=}"
done
target="java-agent/target$suffix"

mvn -q -B -ntp "${maven_args[@]}" -pl java-agent test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$repo_root/$target/test-classpath.txt"
classpath="$(cat "$target/test-classpath.txt"):$target/classes:$target/test-classes"
exec java -Xmx1g -XX:+UseParallelGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
    -cp "$classpath" dev.gymlink.bench.PresetLearningRun "$1" "${GYMLINK_SERVER:-localhost:50051}" "$2" "${@:3}"
