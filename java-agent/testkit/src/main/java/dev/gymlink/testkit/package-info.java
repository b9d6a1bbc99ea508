/**
 * Test support for anyone who implements or uses the env API: the contract suites
 * ({@link dev.gymlink.testkit.EnvContract}, {@link dev.gymlink.testkit.VectorEnvContract}) that an
 * {@code Env} must pass, and a real Python env server as a test fixture
 * ({@link dev.gymlink.testkit.PythonEnvServer}, {@link dev.gymlink.testkit.SharedServerChannel}).
 *
 * <p>Module {@code gymlink-testkit}, meant for test scope. Imports: {@code dev.gymlink.env}, JUnit
 * Jupiter, and {@code dev.gymlink.env.remote} (an optional dependency: only the server fixture
 * needs it).
 */
package dev.gymlink.testkit;
