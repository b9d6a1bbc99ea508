#!/usr/bin/env bash
# SAC on a MuJoCo env, side by side in one run: gymlink's SAC against a real Gymnasium server (started
# here, with the mujoco extra) and Stable-Baselines3's SAC in-process, both with rl-baselines3-zoo's
# settings for the MuJoCo envs (hyperparams/sac.yml: learning_starts 10,000 and SB3's SAC defaults:
# 256-256 networks, lr 3e-4, batch 256, buffer 10^6, tau 0.005, gamma 0.99, one gradient step per env
# step, entropy coefficient learned). Each trains N env steps and is then evaluated greedily for
# E episodes; seeds run interleaved (gymlink seed 1, SB3 seed 1, gymlink seed 2, ...).
#
#   scripts/bench-sac-vs-sb3.sh [--env HalfCheetah-v5] [--steps 100000] [--seeds 1] [--eval-episodes 10]
#                               [--learning-starts 10000] [--net 256,256]
#   scripts/bench-sac-vs-sb3.sh --steps 3000 --learning-starts 1000 --eval-episodes 2   # a smoke run
#
# 100,000 steps of HalfCheetah-v5 take about an hour and a half on a 2-core machine (gymlink's plain-Java
# 256-256 SAC at some 30 steps/s, SB3's on one torch thread at some 60). For each side: the mean
# greedy return at N env steps, env-steps/s = N / training seconds (from the first env step to the
# end of the evaluation at step N: JVM or Python start-up and model set-up are not in them, the one
# evaluation is, on both sides alike) and the process's wall seconds. SB3 runs in a throwaway venv
# under build/bench-sb3 (with mujoco added; never the project's environment) on one torch thread, as
# gymlink's SAC computes on one core (scripts/sb3_sac.py says why). gymlink comes from
# ./gymlink (built when stale, before any timing) or GYMLINK_JAR, a prebuilt jar.
# Prints a Markdown table and ends with one line:
#   summary: env=ID steps=N seeds=S gymlink_return=A sb3_return=B gymlink_steps_per_s=C sb3_steps_per_s=D
# (returns and rates are means over the seeds).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "bench-sac-vs-sb3: $*" >&2; }
die() { say "$*"; exit 2; }

env_id="HalfCheetah-v5"
steps=100000
seeds_arg="1"
eval_episodes=10
learning_starts=10000
net="256,256"
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case "$1" in
    --env) env_id="$2" ;;
    --steps) steps="$2" ;;
    --seeds) seeds_arg="$2" ;;
    --eval-episodes) eval_episodes="$2" ;;
    --learning-starts) learning_starts="$2" ;;
    --net) net="$2" ;;
    *) die "unknown option $1 (options: --env, --steps, --seeds, --eval-episodes, --learning-starts, --net)" ;;
  esac
  shift 2
done
[[ "$steps" =~ ^[1-9][0-9]*$ ]] || die "--steps must be a positive integer, got '$steps'"
[[ "$eval_episodes" =~ ^[1-9][0-9]*$ ]] || die "--eval-episodes must be a positive integer, got '$eval_episodes'"
[[ "$learning_starts" =~ ^[0-9]+$ ]] || die "--learning-starts must be an integer >= 0, got '$learning_starts'"
[[ "$net" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--net must be widths like 256,256, got '$net'"
[[ "$seeds_arg" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--seeds must be integers like 1,2,3, got '$seeds_arg'"
IFS=, read -r -a seeds <<< "$seeds_arg"
(( learning_starts < steps )) || say "warning: --learning-starts $learning_starts >= --steps $steps: neither side learns"

work="$root/build/bench-sb3"
runs="$work/sac-runs-$(date +%Y%m%d-%H%M%S)"
sb3_venv="$work/.venv"
mkdir -p "$runs"

# ---------------------------------------------------------------- setup (not timed)
if ! "$sb3_venv/bin/python" -c "import stable_baselines3" >/dev/null 2>&1; then
  say "installing stable-baselines3 into $sb3_venv (once)"
  rm -rf "$sb3_venv"
  python3 -m venv "$sb3_venv"
  "$sb3_venv/bin/pip" install -q --disable-pip-version-check "stable-baselines3==2.*" "gymnasium[classic-control]>=1.0,<2" >&2
fi
if ! "$sb3_venv/bin/python" -c "import mujoco" >/dev/null 2>&1; then
  # The same pins as the server's mujoco extra (python-env-server/pyproject.toml): both sides step one physics.
  say "adding mujoco to $sb3_venv (once)"
  "$sb3_venv/bin/pip" install -q --disable-pip-version-check "gymnasium[mujoco]>=1.0,<2" "mujoco>=2.3.3,<5" >&2
fi
server_python="$("$root/scripts/server-venv.sh")"
"$server_python" -c "import mujoco" 2>/dev/null \
  || die "$server_python has no mujoco: install the server's mujoco extra (pip install './python-env-server[mujoco]')"
if [[ -n "${GYMLINK_JAR:-}" ]]; then
  [[ -f "$GYMLINK_JAR" ]] || die "GYMLINK_JAR=$GYMLINK_JAR is not a file"
  gymlink=(java "${GYMLINK_JAVA_OPTS:--Xmx1g}" -Djava.awt.headless=true -jar "$GYMLINK_JAR")
else
  gymlink=("$root/gymlink")
fi
"${gymlink[@]}" --version >/dev/null   # builds the jar now, outside the timings
say "versions: $("$sb3_venv/bin/python" -c 'import stable_baselines3, torch, mujoco, gymnasium; print(f"SB3 {stable_baselines3.__version__}, torch {torch.__version__}, MuJoCo {mujoco.__version__}, Gymnasium {gymnasium.__version__}")'); server: MuJoCo $("$server_python" -c 'import mujoco; print(mujoco.__version__)')"

"$server_python" -m gymlink_server --port 0 >"$runs/server.out" 2>"$runs/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 150); do
  grep -q "listening on" "$runs/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
server="$(sed -n 's/^gymlink-server listening on //p' "$runs/server.out")"
[[ -n "$server" ]] || { cat "$runs/server.log" >&2; die "the env server did not start"; }
say "env server on $server; runs in $runs"

# ---------------------------------------------------------------- one timed run
# Each run leaves <side>-<seed>.time ("wall_seconds peak_rss_kb") and <side>-<seed>.result
# ("mean_return training_seconds"), or no .result when it failed (its .err says why).
timed() {
  local base="$1"; shift
  /usr/bin/time -f "%e %M" -o "$base.time" "$@" >"$base.out" 2>"$base.err" || say "$(basename "$base") failed: see $base.err"
}

gymlink_run() {
  local seed="$1" base="$runs/gymlink-$seed"
  timed "$base" "${gymlink[@]}" train --algo sac --env "$env_id" --env-backend remote --server "$server" \
    --steps "$steps" --seed "$seed" --out "$base.run" \
    --set hiddenSizes="$net" --set learningRate=3e-4 --set bufferSize=1000000 --set batchSize=256 \
    --set learningStarts="$learning_starts" --set tau=0.005 --set gamma=0.99 --set trainFrequency=1 \
    --set gradientSteps=1 --set solve.evalEpisodes="$eval_episodes" --set solve.evalEverySteps="$steps" \
    --set solve.stopWhenSolved=false
  # The evaluation at step N: evaluations.csv is env_step,mean_return,...,wall_seconds.
  awk -F, -v n="$steps" 'NR > 1 && $1 == n { print $2, $NF }' "$base.run/evaluations.csv" 2>/dev/null \
    >"$base.result" || true
  [[ -s "$base.result" ]] || rm -f "$base.result"
}

sb3_run() {
  local seed="$1" base="$runs/sb3-$seed"
  # In the runs directory: MuJoCo appends its warnings to MUJOCO_LOG.TXT in the working directory.
  (cd "$runs" && timed "$base" "$sb3_venv/bin/python" "$root/scripts/sb3_sac.py" --env "$env_id" --steps "$steps" \
    --seed "$seed" --eval-episodes "$eval_episodes" --learning-starts "$learning_starts" --net "$net")
  "$sb3_venv/bin/python" -c '
import json, sys
try:
    outcome = json.loads(open(sys.argv[1] + ".out").read().strip().splitlines()[-1])
except (OSError, IndexError, ValueError):
    sys.exit(0)
print(outcome["mean_return"], outcome["seconds"], file=open(sys.argv[1] + ".result", "w"))
' "$base"
}

for seed in "${seeds[@]}"; do
  say "seed $seed: gymlink"
  gymlink_run "$seed"
  say "seed $seed: sb3"
  sb3_run "$seed"
done

# ---------------------------------------------------------------- report
python3 - "$runs" "$env_id" "$steps" "$eval_episodes" "$learning_starts" "$net" "${seeds[@]}" <<'EOF'
import statistics, sys
runs, env_id, steps, eval_episodes, learning_starts, net, *seeds = sys.argv[1:]
steps = int(steps)
print(f"{env_id}: SAC with rl-baselines3-zoo's settings (learning_starts {int(learning_starts):,}, {net} networks), "
      f"{steps:,} env steps, greedy return over {eval_episodes} episodes at the end; {runs}")
print()
print("| side | seed | return at N | env-steps/s | training s | process wall s | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|")
means, failed = {}, []
for side, label in (("gymlink", "gymlink SAC, remote env"), ("sb3", "SB3 SAC, in-process env")):
    returns, rates = [], []
    for seed in seeds:
        base = f"{runs}/{side}-{seed}"
        try:
            wall, rss_kb = open(base + ".time").read().split()[-2:]
        except (OSError, ValueError):
            wall, rss_kb = "nan", "0"
        try:
            mean_return, seconds = (float(field) for field in open(base + ".result").read().split())
        except OSError:
            failed.append(f"{side}-{seed}")
            print(f"| {label} | {seed} | failed | - | - | {float(wall):.1f} | {int(rss_kb) / 1024:.0f} |")
            continue
        returns.append(mean_return)
        rates.append(steps / seconds)
        print(f"| {label} | {seed} | {mean_return:.1f} | {steps / seconds:.1f} | {seconds:.1f} | {float(wall):.1f} "
              f"| {int(rss_kb) / 1024:.0f} |")
    means[side] = (statistics.mean(returns) if returns else float("nan"), statistics.mean(rates) if rates else float("nan"))
print()
if failed:
    print(f"failed runs: {', '.join(failed)} (their .err files are in {runs})")
(g_return, g_rate), (s_return, s_rate) = means["gymlink"], means["sb3"]
print(f"summary: env={env_id} steps={steps} seeds={','.join(seeds)} gymlink_return={g_return:.1f} sb3_return={s_return:.1f} "
      f"gymlink_steps_per_s={g_rate:.1f} sb3_steps_per_s={s_rate:.1f}")
sys.exit(1 if failed else 0)
EOF
