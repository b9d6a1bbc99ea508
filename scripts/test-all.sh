#!/usr/bin/env bash
# The project's one test command: the Python server's tests, then the Java build with unit
# tests (Surefire) and container integration tests (Failsafe, *IT). Run from anywhere.
#
# Needs a JDK 17+, Python 3.10+ with venv, and Docker (with compose v2 or v1) for the container
# tests; Maven comes through the wrapper (./mvnw), the server's packages go into the project's
# virtualenv (python-env-server/.venv, made by scripts/server-venv.sh on first use), and the
# container tests build the images they run (java-agent/system-tests, ProjectImages).
#
# Environment (optional): GYMLINK_PYTHON, an interpreter that already has the server installed
# (used as it is, instead of the project's venv); JAVACPP_CACHE_DIR, where the test JVMs unpack
# ND4J's native libraries (default ~/.javacpp/cache).
# Arguments go to Maven, e.g. scripts/test-all.sh -Dgymlink.buildSuffix=-mine
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# The Java tests that start a Python server use the same interpreter.
GYMLINK_PYTHON="$(scripts/server-venv.sh)"
export GYMLINK_PYTHON
python_bin="$GYMLINK_PYTHON"

echo "== pytest: python-env-server/tests"
set +e
"$python_bin" -m pytest python-env-server/tests -q
pytest_status=$?
set -e
case "$pytest_status" in
  0) ;;
  5) echo "test-all: pytest collected no tests in python-env-server/tests; the server's tests must exist and run" >&2
     exit 1 ;;
  *) echo "test-all: pytest failed (exit $pytest_status)" >&2
     exit "$pytest_status" ;;
esac

echo "== ./mvnw verify (unit tests + integration tests)"
maven_args=(-B -ntp)
# Surefire and Failsafe hand -D user properties on to the forked test JVMs as system properties.
if [[ -n "${JAVACPP_CACHE_DIR:-}" ]]; then
  maven_args+=("-Dorg.bytedeco.javacpp.cachedir=$JAVACPP_CACHE_DIR")
fi
./mvnw "${maven_args[@]}" verify "$@"
