#!/usr/bin/env bash
# Makes (once) and reuses the project's virtualenv for the env server, python-env-server/.venv,
# with the server package installed from this checkout in editable mode and its test extras.
# Never installs into an interpreter the project did not create (Debian's and Ubuntu's system
# Pythons refuse that anyway: PEP 668). Prints the venv's python on stdout; progress on stderr.
#
#   scripts/server-venv.sh              # -> /path/to/python-env-server/.venv/bin/python
#
# Environment: GYMLINK_PYTHON, an interpreter to use as it is instead (nothing is installed into
# it); GYMLINK_BASE_PYTHON, the interpreter that creates the venv (default python3).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/python-env-server/.venv"
base_python="${GYMLINK_BASE_PYTHON:-python3}"

say() { echo "server-venv: $*" >&2; }
die() { say "$*"; exit 1; }

if [[ -n "${GYMLINK_PYTHON:-}" ]]; then
  echo "$GYMLINK_PYTHON"
  exit 0
fi

importable() { "$1" -c "import gymlink_server._proto.env_service_pb2, pytest" >/dev/null 2>&1; }

# A stub that is older than the protos or the package metadata means the install is stale.
install_is_current() {
  importable "$venv/bin/python" || return 1
  local stamp="$venv/.gymlink-installed"
  [[ -f "$stamp" ]] || return 1
  [[ -z "$(find "$repo_root/proto" "$repo_root/python-env-server/pyproject.toml" \
                "$repo_root/python-env-server/setup.py" -newer "$stamp" -print -quit)" ]]
}

if ! install_is_current; then
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    command -v "$base_python" >/dev/null 2>&1 \
      || die "no '$base_python' found: install Python 3.10+ with venv (Debian/Ubuntu: apt-get install python3 python3-venv)"
    "$base_python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
      || die "$("$base_python" --version 2>&1) is too old: the env server needs Python 3.10+"
    say "creating $venv with $("$base_python" --version 2>&1)"
    rm -rf "$venv"
    "$base_python" -m venv "$venv" >&2 \
      || die "'$base_python -m venv' failed: install the venv module (Debian/Ubuntu: apt-get install python3-venv)"
  fi
  say "installing the env server into $venv (pip install -e './python-env-server[test]')"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$repo_root/python-env-server[test]" >&2
  importable "$venv/bin/python" || die "the env server is still not importable from $venv/bin/python"
  touch "$venv/.gymlink-installed"
fi
echo "$venv/bin/python"
