#!/usr/bin/env bash
# Trains the DQN agent on an env with its default preset, the env's tuned hyperparameters
# (java-agent/dqn/src/main/resources/dev/gymlink/agent/dqn/tuned-hyperparameters.json), or for an env
# with Box actions the SAC agent with its SAC preset (java-agent/sac/src/main/resources/dev/gymlink/agent/sac/sac-presets.json),
# once per seed, against a running env server, and prints for each seed
# whether a greedy evaluation reached the threshold, and the mean +- std of a final set of greedy
# episodes played by the run's best checkpoint (what 'gymlink eval RUN_DIR' plays) and by its final
# policy. KEY=VALUE arguments change the preset as 'gymlink train --set' does, env.KEY=VALUE sets an
# env kwarg as '--env-kwarg KEY=VALUE' does (STEPS '-' keeps the
# preset's budget); for SAC, resume=RUN_DIR (one seed) continues a run directory this script printed
# to a larger STEPS. One run at a time uses about one core.
#
#   python -m gymlink_server --port 50051 &            # the env server (box2d installed for LunarLander)
#   scripts/learn-preset.sh Acrobot-v1 1,2,3            # [FINAL_EPISODES (100)] [STEPS (the preset's)] [KEY=VALUE...]
#   scripts/learn-preset.sh Pendulum-v1 1,2,3           # SAC
#
# Environment: GYMLINK_SERVER (default localhost:50051); GYMLINK_BUILD_SUFFIX (default -learn: the
# build lives in java-agent/*/target-learn); extra Maven flags in MAVEN_ARGS.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 ENV_ID SEED[,SEED...] [FINAL_EPISODES] [STEPS|-] [KEY=VALUE...]" >&2
  exit 2
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath="$("$repo_root/scripts/system-tests-classpath.sh" "${GYMLINK_BUILD_SUFFIX:--learn}")"
exec java -Xmx1g -XX:+UseParallelGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
    -cp "$classpath" dev.gymlink.bench.PresetLearningRun "$1" "${GYMLINK_SERVER:-localhost:50051}" "$2" "${@:3}"
