package dev.gymlink.env;

/**
 * What a {@link VectorEnv} does when one of its copies ends an episode, as in Gymnasium's
 * {@code gymnasium.vector.AutoresetMode} (the two modes the gymlink wire carries).
 *
 * <p>Say copy {@code i} ends an episode in step {@code t}:
 * <table>
 *   <caption>Copy i around the end of an episode</caption>
 *   <tr><th></th><th>{@link #SAME_STEP}</th><th>{@link #NEXT_STEP}</th></tr>
 *   <tr><td>step t: {@code observations[i]}</td><td>first observation of the next episode</td>
 *       <td>last observation of the ended episode</td></tr>
 *   <tr><td>step t: {@code finalObservations[i]}, {@code finalInfos[i]}</td>
 *       <td>last observation and info of the ended episode</td><td>null and empty (never used)</td></tr>
 *   <tr><td>step t: reward, terminated, truncated</td><td colspan="2">those of the ending step</td></tr>
 *   <tr><td>step t+1</td><td>an ordinary step of the new episode</td>
 *       <td>ignores copy i's action and resets it: the reset observation and info, reward 0,
 *       terminated and truncated false</td></tr>
 * </table>
 *
 * <p>With SAME_STEP a result never mixes two episodes, so a learner can store
 * {@code (observation, action, reward, done ? finalObservation : nextObservation)} from every step.
 * With NEXT_STEP the learner must drop the transition of the step after {@code done(i)}: it spans a
 * reset. Gymnasium's own default is NEXT_STEP; gymlink's is SAME_STEP.
 */
public enum AutoresetMode {

    /** An ended copy is reset within the step that ended it; its last observation goes to the final observations. */
    SAME_STEP,

    /** An ended copy is reset in its next step, which ignores its action and returns reward 0 (Gymnasium's default). */
    NEXT_STEP
}
