#!/usr/bin/env bash
# Time to solve CartPole-v1, side by side in one run: gymlink on its Java CartPole, gymlink against a
# real Gymnasium server (started here; over TCP and over a unix socket), and Stable-Baselines3's
# DQN in-process with rl-baselines3-zoo's tuned CartPole-v1 hyperparameters, once with the zoo's 256-256 network and
# once with gymlink's 64-64. Every variant stops by the same rule: a greedy 20-episode evaluation
# every 2,500 env steps, solved at a mean >= 475, within 50,000 env steps. Seeds run interleaved
# (seed 1 of every variant, then seed 2, ...), so a noisy machine treats all variants alike.
#
#   scripts/bench-vs-sb3.sh [SEEDS (1,2,3,4,5)]
#
# Wall seconds are from process start to exit (JVM or Python start-up included); peak RSS is the
# trainer process's (for remote, the server's is shown apart). SB3 is installed into a throwaway
# venv under build/bench-sb3 (never into the project's environment; ~3 GB with torch, once).
# Prints a Markdown table and ends with one line:
#   summary: local_median_s=A remote_median_s=B sb3_median_s=C remote_vs_local=B/A sb3_vs_local=C/A remote_unix_vs_local=U/A
# where sb3 is the zoo's network, remote is over TCP and remote_unix over a unix socket. SKIP_SB3=1 runs
# the gymlink variants only (seconds instead of many minutes per seed); the summary then has no sb3 fields.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
IFS=, read -r -a seeds <<< "${1:-1,2,3,4,5}"
work="$root/build/bench-sb3"
runs="$work/runs-$(date +%Y%m%d-%H%M%S)"
sb3_venv="$work/.venv"
mkdir -p "$runs"

say() { echo "bench-vs-sb3: $*" >&2; }

# ---------------------------------------------------------------- setup (not timed)
if ! "$sb3_venv/bin/python" -c "import stable_baselines3" >/dev/null 2>&1; then
  say "installing stable-baselines3 into $sb3_venv (once)"
  rm -rf "$sb3_venv"
  python3 -m venv "$sb3_venv"
  "$sb3_venv/bin/pip" install -q --disable-pip-version-check "stable-baselines3==2.*" "gymnasium[classic-control]>=1.0,<2" >&2
fi
server_python="$("$root/scripts/server-venv.sh")"
"$root/gymlink" --version >/dev/null   # builds the jar now, outside the timings

server_pids=()
trap 'kill "${server_pids[@]}" 2>/dev/null || true' EXIT
# Starts an env server with the given flags, logging to $runs/NAME.out and .log; sets
# started_address to where it listens.
start_server() {
  local name="$1"; shift
  "$server_python" -m gymlink_server "$@" >"$runs/$name.out" 2>"$runs/$name.log" &
  server_pids+=("$!")
  for _ in $(seq 100); do
    grep -q "listening on" "$runs/$name.out" 2>/dev/null && break
    sleep 0.2
  done
  started_address="$(sed -n 's/^gymlink-server listening on //p' "$runs/$name.out")"
  [[ -n "$started_address" ]] || { cat "$runs/$name.log" >&2; say "the env server ($*) did not start"; exit 1; }
}
start_server server --port 0
server="$started_address"
# A second server on a unix socket: how trainer and server on one host are meant to talk.
start_server server-unix --unix-socket "$runs/env.sock"
socket_server="$started_address"
say "env servers on $server and $socket_server; runs in $runs"

# ---------------------------------------------------------------- one timed run
# Writes "wall_seconds peak_rss_kb solved env_steps" to $runs/<variant>-<seed>.result
timed() {
  local result="$1"; shift
  /usr/bin/time -f "%e %M" -o "$result.time" "$@" >"$result.out" 2>"$result.err" || true
}

gymlink_run() {
  local variant="$1" seed="$2"; shift 2
  local base="$runs/$variant-$seed"
  # The zoo's budget, as the SB3 side has it (gymlink's own preset allows 100,000).
  timed "$base" "$root/gymlink" train --seed "$seed" --steps 50000 --out "$base.run" "$@"
  # First evaluation at or over 475, from evaluations.csv (env_step,mean_return,...).
  local solved_step
  solved_step="$(awk -F, 'NR > 1 && $2 >= 475 { print $1; exit }' "$base.run/evaluations.csv" 2>/dev/null || true)"
  if [[ -n "$solved_step" ]]; then
    echo "$(tail -n 1 "$base.time") true $solved_step" >"$base.result"
  else
    echo "$(tail -n 1 "$base.time") false 50000" >"$base.result"
  fi
}

sb3_run() {
  local variant="$1" seed="$2" net="$3"
  local base="$runs/$variant-$seed"
  timed "$base" "$sb3_venv/bin/python" "$root/scripts/sb3_solve_cartpole.py" --seed "$seed" --net "$net"
  "$sb3_venv/bin/python" - "$base" <<'EOF'
import json, sys
base = sys.argv[1]
time_fields = open(base + ".time").read().split()
try:
    outcome = json.loads(open(base + ".out").read().strip().splitlines()[-1])
except (IndexError, ValueError):
    outcome = {"solved": False, "env_steps": 50000}
print(time_fields[-2], time_fields[-1], str(outcome["solved"]).lower(), outcome["env_steps"], file=open(base + ".result", "w"))
EOF
}

variants=(gymlink-local gymlink-remote gymlink-remote-unix)
[[ "${SKIP_SB3:-0}" == 1 ]] || variants+=(sb3-zoo-256x256 sb3-64x64)
for seed in "${seeds[@]}"; do
  say "seed $seed"
  gymlink_run gymlink-local "$seed" --env-backend local
  gymlink_run gymlink-remote "$seed" --env-backend remote --server "$server"
  gymlink_run gymlink-remote-unix "$seed" --env-backend remote --server "$socket_server"
  if [[ "${SKIP_SB3:-0}" != 1 ]]; then
    sb3_run sb3-zoo-256x256 "$seed" 256,256
    sb3_run sb3-64x64 "$seed" 64,64
  fi
done
peak_rss_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
tcp_server_rss_kb="$(peak_rss_kb "${server_pids[0]}")"
unix_server_rss_kb="$(peak_rss_kb "${server_pids[1]}")"

# ---------------------------------------------------------------- report
python3 - "$runs" "$tcp_server_rss_kb" "$unix_server_rss_kb" "${variants[@]}" -- "${seeds[@]}" <<'EOF'
import statistics, sys
args = sys.argv[1:]
runs = args[0]
server_rss_kb = {"gymlink-remote": int(args[1] or 0), "gymlink-remote-unix": int(args[2] or 0)}
split = args.index("--")
variants, seeds = args[3:split], args[split + 1:]
medians = {}
print(f"CartPole-v1, time to solve (greedy 20-episode mean >= 475, evaluated every 2,500 env steps), "
      f"seeds {','.join(seeds)}; {runs}")
print()
print("| variant | median wall s | worst wall s | seeds solved | median env steps to solve | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|")
for variant in variants:
    rows = []
    for seed in seeds:
        wall, rss_kb, solved, steps = open(f"{runs}/{variant}-{seed}.result").read().split()
        rows.append((float(wall), int(rss_kb), solved == "true", int(steps)))
    walls = [r[0] for r in rows]
    solved_steps = [r[3] for r in rows if r[2]]
    medians[variant] = statistics.median(walls)
    steps = f"{statistics.median(solved_steps):,.0f}" if solved_steps else "-"
    rss = max(r[1] for r in rows) / 1024
    note = f" (+ server {server_rss_kb[variant] / 1024:.0f})" if server_rss_kb.get(variant) else ""
    print(f"| {variant} | {medians[variant]:.1f} | {max(walls):.1f} | {len(solved_steps)}/{len(rows)} | {steps} "
          f"| {rss:.0f}{note} |")
local, remote, unix = medians["gymlink-local"], medians["gymlink-remote"], medians["gymlink-remote-unix"]
print()
if "sb3-zoo-256x256" in medians:
    sb3 = medians["sb3-zoo-256x256"]
    print(f"summary: local_median_s={local:.1f} remote_median_s={remote:.1f} sb3_median_s={sb3:.1f} "
          f"remote_vs_local={remote / local:.2f} sb3_vs_local={sb3 / local:.2f} remote_unix_vs_local={unix / local:.2f}")
else:
    print(f"summary: local_median_s={local:.1f} remote_median_s={remote:.1f} remote_vs_local={remote / local:.2f} "
          f"remote_unix_vs_local={unix / local:.2f} (SKIP_SB3: no Stable-Baselines3 runs)")
EOF
