#!/usr/bin/env bash
# Soak test of the env server: 64 CartPole sessions (plain and vector x8) step against a server
# this starts on 127.0.0.1, beside a stream of requests it must refuse, for SECONDS (default 60).
# The last line is
#   summary: steps=N errors=E server_rss_start_mb=A server_rss_end_mb=B leaked_sessions=L
# and the exit status is non-zero when E > 0, L > 0 or B - A > 50. The load generator is
# python-env-server/bench/soak.py (its docstring says what it sends).
#
# Usage: scripts/soak.sh [SECONDS]
# Interpreter: GYMLINK_PYTHON if set, else the project venv python-env-server/.venv
# (created with the server package installed when missing).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "usage: scripts/soak.sh [SECONDS]  (got '$seconds')" >&2
  exit 2
fi

venv="python-env-server/.venv"
python_bin="${GYMLINK_PYTHON:-}"
if [[ -z "$python_bin" ]]; then
  if [[ ! -x "$venv/bin/python" ]]; then
    echo "== creating $venv with the server package: pip install -e './python-env-server[test]'" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q -e './python-env-server[test]' >&2
  fi
  python_bin="$venv/bin/python"
fi

exec "$python_bin" python-env-server/bench/soak.py --seconds "$seconds"
