#!/usr/bin/env bash
# Compiles the Java modules and the system-tests module (benchmarks, learning runs) and prints the
# class path that runs its classes: the module's test classes, then every dependency (the other
# modules' target directories and the jars in ~/.m2). Used by the bench and learn scripts.
#
#   java -cp "$(scripts/system-tests-classpath.sh -bench)" dev.gymlink.bench.DqnBenchmark
#
# The argument is a build suffix (see gymlink.buildSuffix in pom.xml): the build lives in
# java-agent/*/target<suffix>, apart from the usual target/. Extra Maven flags come from MAVEN_ARGS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
suffix="${1:-}"
module_target="$root/java-agent/system-tests/target$suffix"
read -r -a extra_args <<< "${MAVEN_ARGS:-}"
build=(-q -B -ntp "${extra_args[@]}" "-Dgymlink.buildSuffix=$suffix" -pl java-agent/system-tests -am
       test-compile dependency:build-classpath -Dmdep.includeScope=test
       "-Dmdep.outputFile=$module_target/classpath.txt")
mkdir -p "$module_target"
# Offline when everything is already downloaded (quick and quiet); online otherwise. Each module
# writes the file in turn; system-tests comes last in the reactor, so its class path is what stays.
"$root/mvnw" -o "${build[@]}" >/dev/null 2>&1 || "$root/mvnw" "${build[@]}" >&2
echo "$module_target/test-classes:$(cat "$module_target/classpath.txt")"
