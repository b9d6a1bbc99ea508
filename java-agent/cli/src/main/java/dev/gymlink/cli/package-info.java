/**
 * The {@code gymlink} command line (train, eval, play, plot, envs, parity): flags, run directories, which
 * env to open where, and one-line error reports. The only package that calls {@code System.exit}.
 *
 * <p>Module {@code gymlink-cli}. Imports: everything below it (train, agent, env, env.remote) and
 * picocli.
 */
package dev.gymlink.cli;
