/**
 * The gRPC client: Gymnasium envs that live in a gymlink env server, used through the env API
 * ({@link dev.gymlink.env.remote.RemoteEnv}, {@link dev.gymlink.env.remote.RemoteVectorEnv}), with
 * per-request deadlines, reconnects with exact replay of the episodes in flight, TLS and bearer
 * tokens ({@link dev.gymlink.env.remote.ConnectionSecurity}, with a one-line reason for every
 * mismatch), server catalogs and health checks, and the parity check against the Java CartPole. {@link dev.gymlink.env.remote.GymClient} is the entry point for
 * library users: it owns a channel and makes the envs on it; the {@code connect(channel, ...)}
 * factories are for callers that manage channels themselves (the CLI, tests).
 *
 * <p>Module {@code gymlink-client}. Imports: {@code dev.gymlink.env}, {@code dev.gymlink.env.cartpole}
 * (parity only), grpc-java and protobuf. The generated {@code dev.gymlink.proto} types are used
 * only here, and only inside the package-private codecs and sessions: no public signature
 * mentions them.
 */
package dev.gymlink.env.remote;
