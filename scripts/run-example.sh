#!/usr/bin/env bash
# Builds and runs examples/random-agent, a standalone Maven project that depends on
# dev.gymlink:gymlink-client only, the way a user's project would:
#   1. installs gymlink-client and what it needs (parents, gymlink-env) into ~/.m2,
#   2. prints the example's dependency list and fails if it holds ND4J, Tribuo, picocli,
#      JFreeChart or an SLF4J binding,
#   3. starts a real env server (the project's virtualenv, scripts/server-venv.sh) on a free port,
#   4. runs the example against it and checks that it prints exactly `mean return X over 10 episodes`.
# Exits non-zero on any failure. About a minute with a warm ~/.m2.
#   scripts/run-example.sh
# Environment: GYMLINK_MVN_ARGS, extra Maven arguments for the install (e.g. -Dgymlink.buildSuffix=-ci);
# GYMLINK_PYTHON, the server's interpreter instead of the project venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="$root/examples/random-agent/pom.xml"
mvnw=("$root/mvnw" -B -ntp -q)
work="$(mktemp -d)"
server_pid=""

say() { echo "run-example: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say "installing gymlink-client and what it needs"
# shellcheck disable=SC2086  # GYMLINK_MVN_ARGS is a list of arguments
(cd "$root" && "${mvnw[@]}" ${GYMLINK_MVN_ARGS:-} install -DskipTests -pl java-agent/client -am)

say "dependencies of the example (runtime class path):"
"${mvnw[@]}" -f "$example" dependency:list -DoutputFile="$work/deps.txt" -DincludeScope=runtime
grep -E '^ +[^ ]+:[^ ]+:' "$work/deps.txt" | sed 's/^ */  /' | sort >&2
forbidden='org\.nd4j|org\.tribuo|picocli|org\.jfree|slf4j-(simple|nop|jdk14|log4j12|reload4j|jcl|android)|logback-classic|log4j-slf4j2?-impl'
if grep -E "$forbidden" "$work/deps.txt" >&2; then
  fail "the example's dependencies include the library above; gymlink-client must stay free of it"
fi
grep -q 'dev.gymlink:gymlink-client:' "$work/deps.txt" || fail "gymlink-client is not among the dependencies"

python="$("$root/scripts/server-venv.sh")"
say "starting an env server ($python -m gymlink_server --port 0)"
"$python" -m gymlink_server --port 0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
target=""
for _ in $(seq 1 600); do
  line="$(head -n 1 "$work/server.out" 2>/dev/null || true)"
  if [[ "$line" =~ ^gymlink-server\ listening\ on\ ([^ ]+)$ ]]; then
    target="${BASH_REMATCH[1]}"
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; fail "the env server exited"; }
  sleep 0.1
done
[[ -n "$target" ]] || { cat "$work/server.err" >&2; fail "the env server did not say where it listens within 60 s"; }
say "env server listening on $target"

say "running: mvn -q -f examples/random-agent/pom.xml compile exec:java -Dexec.args=$target"
"${mvnw[@]}" -f "$example" compile exec:java -Dexec.args="$target" >"$work/example.out" \
  || { cat "$work/example.out" >&2; fail "the example failed"; }
cat "$work/example.out"
if [[ "$(wc -l <"$work/example.out")" -ne 1 ]] \
    || ! grep -Eq '^mean return [0-9]+(\.[0-9]+)? over 10 episodes$' "$work/example.out"; then
  fail "expected exactly one line 'mean return X over 10 episodes'"
fi
say "ok"
