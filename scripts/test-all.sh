#!/usr/bin/env bash
# The project's one test command: the Python server's tests, then the Java build with unit
# tests (Surefire) and container integration tests (Failsafe, *IT). Run from anywhere.
#
# Fast tests only (no Docker needed):  mvn -B test   and   python -m pytest python-env-server/tests
#
# Environment (optional): PYTHON, the interpreter with the server installed (default python3);
# JAVACPP_CACHE_DIR, where the test JVMs unpack ND4J's native libraries (default ~/.javacpp/cache).
# Arguments go to Maven, e.g. scripts/test-all.sh -Dgymlink.buildSuffix=-mine
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

python_bin="${PYTHON:-python3}"

# A fresh machine has no server package yet; its gRPC stubs are generated when it is installed.
if ! "$python_bin" -c "import gymlink_server._proto.env_service_pb2" >/dev/null 2>&1; then
  echo "== installing the env server package: pip install -e './python-env-server[test]'"
  "$python_bin" -m pip install -q -e './python-env-server[test]'
fi

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

echo "== mvn verify (unit tests + integration tests)"
maven_args=(-B -ntp)
# Surefire and Failsafe hand -D user properties on to the forked test JVMs as system properties.
if [[ -n "${JAVACPP_CACHE_DIR:-}" ]]; then
  maven_args+=("-Dorg.bytedeco.javacpp.cachedir=$JAVACPP_CACHE_DIR")
fi
mvn "${maven_args[@]}" verify "$@"
