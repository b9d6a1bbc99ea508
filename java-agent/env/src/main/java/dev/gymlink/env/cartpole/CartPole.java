package dev.gymlink.env.cartpole;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EpisodeLifecycle;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.random.NumpyRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * CartPole-v1, the cart-pole problem of Barto, Sutton and Anderson, "Neuronlike Adaptive Elements
 * That Can Solve Difficult Learning Control Problems" (1983), with the dynamics, limits, seeding and
 * time limit of Gymnasium's {@code gym.make("CartPole-v1")}: the same seed and the same actions give
 * the same float32 observations, rewards and flags, bit for bit.
 *
 * <p>A pole is attached by an un-actuated joint to a cart, which moves along a frictionless track.
 * The pole starts upright; the goal is to keep it balanced by pushing the cart left or right.
 *
 * <h2>Action space</h2>
 * {@code Discrete(2)}: the direction of the fixed force ({@value #FORCE_MAGNITUDE_NEWTONS} N) the cart
 * is pushed with.
 * <ul>
 *   <li>0: push the cart to the left</li>
 *   <li>1: push the cart to the right</li>
 * </ul>
 * How much the velocity changes is not fixed: it depends on the angle of the pole, whose centre of
 * gravity changes the energy needed to move the cart underneath it.
 *
 * <h2>Observation space</h2>
 * {@code Box([-4.8 -inf -0.41887903 -inf], [4.8 inf 0.41887903 inf], (4,), float32)}:
 * <table>
 *   <caption>Observation</caption>
 *   <tr><th>index</th><th>observation</th><th>unit</th><th>min</th><th>max</th></tr>
 *   <tr><td>0</td><td>cart position</td><td>m</td><td>-4.8</td><td>4.8</td></tr>
 *   <tr><td>1</td><td>cart velocity</td><td>m/s</td><td>-inf</td><td>inf</td></tr>
 *   <tr><td>2</td><td>pole angle</td><td>rad</td><td>~ -0.418 (-24°)</td><td>~ 0.418 (24°)</td></tr>
 *   <tr><td>3</td><td>pole angular velocity</td><td>rad/s</td><td>-inf</td><td>inf</td></tr>
 * </table>
 * These bounds are twice the termination limits, so the last observation of a terminated episode is
 * still in the space. An episode runs only while the cart position is within ±2.4 m and the pole
 * angle within ±12° (±0.2095 rad).
 *
 * <h2>Rewards</h2>
 * +1 for every step, the terminating step included, so the return is the episode length and 500
 * is the best possible. With {@link Options#suttonBartoReward()} the reward is 0 per step and -1
 * for the terminating step, as in the original paper.
 *
 * <h2>Starting state</h2>
 * All four state variables are drawn uniformly from (-0.05, 0.05), by numpy's PCG64 generator
 * seeded as Gymnasium seeds it ({@link NumpyRandom}). The reset options {@code low} and
 * {@code high} (numbers) change these bounds, as in Gymnasium.
 *
 * <h2>Episode end</h2>
 * <ol>
 *   <li>Termination: the pole angle leaves ±12°.</li>
 *   <li>Termination: the cart position leaves ±2.4 m (the cart's centre reaches the edge of the display).</li>
 *   <li>Truncation: the episode reaches {@value #MAX_EPISODE_STEPS} steps (Gymnasium's TimeLimit:
 *       truncated once the elapsed steps reach the limit, so a last step can be both terminated
 *       and truncated).</li>
 * </ol>
 *
 * <h2>Differences from Gymnasium</h2>
 * <ul>
 *   <li>A step after the episode ended (terminated or truncated) throws {@link EnvStateException},
 *       as the gymlink env server does; Gymnasium lets a terminated CartPole be stepped on with a
 *       warning and reward 0, and TimeLimit does not stop a truncated one. A step before the first
 *       reset throws it too (Gymnasium's OrderEnforcing), and this state check comes before the
 *       action check, in Gymnasium's order.</li>
 *   <li>A bad action throws {@link InvalidArgumentException} (Gymnasium: an AssertionError) and
 *       leaves the env as it was.</li>
 *   <li>Unknown reset options are rejected, not ignored, so that a misspelt {@code low} is noticed.</li>
 *   <li>Frames are drawn with Java2D: Gymnasium's rgb_array layout and colours, not its pixels. Any
 *       CartPole renders on request; there is no render mode to choose up front.</li>
 * </ul>
 *
 * <p>Not thread-safe.
 */
public final class CartPole implements Env {

    public static final String ID = "CartPole-v1";
    public static final int MAX_EPISODE_STEPS = 500;
    public static final double REWARD_THRESHOLD = 475.0;

    public static final double GRAVITY_METRES_PER_SECOND_SQUARED = 9.8;
    public static final double CART_MASS_KILOGRAMS = 1.0;
    public static final double POLE_MASS_KILOGRAMS = 0.1;
    /** Half the pole's length: the distance from the joint to the pole's centre of mass. */
    public static final double POLE_HALF_LENGTH_METRES = 0.5;
    public static final double FORCE_MAGNITUDE_NEWTONS = 10.0;
    /** Time between state updates (one Euler step). */
    public static final double SECONDS_PER_STEP = 0.02;
    /** The episode terminates when |pole angle| exceeds this: 12 degrees. */
    public static final double ANGLE_LIMIT_RADIANS = 12 * 2 * Math.PI / 360;
    /** The episode terminates when |cart position| exceeds this. */
    public static final double POSITION_LIMIT_METRES = 2.4;
    /** Default bound of the uniform initial state, (-0.05, 0.05) for each variable. */
    public static final double INITIAL_STATE_BOUND = 0.05;

    private static final double TOTAL_MASS_KILOGRAMS = POLE_MASS_KILOGRAMS + CART_MASS_KILOGRAMS;
    private static final double POLE_MASS_TIMES_HALF_LENGTH = POLE_MASS_KILOGRAMS * POLE_HALF_LENGTH_METRES;

    private static final Discrete ACTION_SPACE = new Discrete(2);
    private static final Box OBSERVATION_SPACE = new Box(
            new int[] {4},
            DType.FLOAT32,
            float32Bounds(-1),
            float32Bounds(1));
    private static final int[] OBSERVATION_SHAPE = {4};
    private static final List<String> RESET_OPTIONS = List.of("low", "high");

    /**
     * How a CartPole is made, Gymnasium's {@code make} arguments.
     *
     * @param maxEpisodeSteps time limit, Gymnasium's {@code max_episode_steps} (500 for v1)
     * @param suttonBartoReward Gymnasium's {@code sutton_barto_reward}: 0 per step, -1 on termination
     */
    public record Options(int maxEpisodeSteps, boolean suttonBartoReward) {

        /** What {@code gym.make("CartPole-v1")} makes. */
        public static final Options DEFAULTS = new Options(MAX_EPISODE_STEPS, false);

        public Options {
            if (maxEpisodeSteps <= 0) {
                throw new IllegalArgumentException("maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
            }
        }

        public Options withMaxEpisodeSteps(int steps) {
            return new Options(steps, suttonBartoReward);
        }

        public Options withSuttonBartoReward(boolean enabled) {
            return new Options(maxEpisodeSteps, enabled);
        }
    }

    private final Options options;
    private final EnvSpec spec;
    private final LibmTrig trig;

    private final EpisodeLifecycle episode = new EpisodeLifecycle(ID);
    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;

    /** {@code gym.make("CartPole-v1")}. */
    public CartPole() {
        this(Options.DEFAULTS);
    }

    public CartPole(Options options) {
        this(options, LibmTrig.NATIVE);
    }

    /** With sin and cos rounded like a given glibc build, to replay trajectories recorded elsewhere. */
    CartPole(Options options, LibmTrig trig) {
        this.options = Objects.requireNonNull(options, "options");
        this.trig = Objects.requireNonNull(trig, "trig");
        this.spec = new EnvSpec(ID, OptionalInt.of(options.maxEpisodeSteps()), OptionalDouble.of(REWARD_THRESHOLD),
                false, CartPole.class.getName(), "classic_control");
    }

    /** {@code gym.make("CartPole-v1", max_episode_steps=steps)}. */
    public static CartPole withMaxEpisodeSteps(int steps) {
        return new CartPole(Options.DEFAULTS.withMaxEpisodeSteps(steps));
    }

    public Options options() {
        return options;
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Box observationSpace() {
        return OBSERVATION_SPACE;
    }

    @Override
    public Discrete actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public ResetResult reset(OptionalLong seed, Map<String, Object> resetOptions) throws EnvStateException,
            InvalidArgumentException {
        episode.checkOpen();
        double low = -INITIAL_STATE_BOUND;
        double high = INITIAL_STATE_BOUND;
        if (resetOptions != null && !resetOptions.isEmpty()) {
            episode.refuseUnknownOptions(resetOptions, RESET_OPTIONS);
            low = boundOption(resetOptions, "low", low);
            high = boundOption(resetOptions, "high", high);
            if (low > high) {
                throw new InvalidArgumentException(
                        "reset option low " + low + " must not be greater than high " + high);
            }
            if (!Double.isFinite(high - low)) {
                throw new InvalidArgumentException("reset range [" + low + ", " + high + ") exceeds valid bounds");
            }
        }
        NumpyRandom random = episode.random(seed);
        x = random.uniform(low, high);
        xDot = random.uniform(low, high);
        theta = random.uniform(low, high);
        thetaDot = random.uniform(low, high);
        episode.started();
        return new ResetResult(observation(), Map.of());
    }

    @Override
    public StepResult step(Object action) throws EnvStateException, InvalidArgumentException {
        episode.checkOpen();
        episode.requireRunning();
        if (!ACTION_SPACE.contains(action)) {
            throw new InvalidArgumentException(
                    "action " + PythonRepr.describeValue(action) + " is not in " + ACTION_SPACE);
        }
        double force = ((Number) action).longValue() == 1 ? FORCE_MAGNITUDE_NEWTONS : -FORCE_MAGNITUDE_NEWTONS;
        double cosTheta = trig.cos(theta);
        double sinTheta = trig.sin(theta);
        // Same operations in the same order as Gymnasium, so that every double rounds the same way.
        double temp = (force + POLE_MASS_TIMES_HALF_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS_KILOGRAMS;
        double thetaAcc = (GRAVITY_METRES_PER_SECOND_SQUARED * sinTheta - cosTheta * temp)
                / (POLE_HALF_LENGTH_METRES
                        * (4.0 / 3.0 - POLE_MASS_KILOGRAMS * (cosTheta * cosTheta) / TOTAL_MASS_KILOGRAMS));
        double xAcc = temp - POLE_MASS_TIMES_HALF_LENGTH * thetaAcc * cosTheta / TOTAL_MASS_KILOGRAMS;

        x = x + SECONDS_PER_STEP * xDot;
        xDot = xDot + SECONDS_PER_STEP * xAcc;
        theta = theta + SECONDS_PER_STEP * thetaDot;
        thetaDot = thetaDot + SECONDS_PER_STEP * thetaAcc;
        int elapsedSteps = episode.stepped();

        boolean terminated = x < -POSITION_LIMIT_METRES || x > POSITION_LIMIT_METRES
                || theta < -ANGLE_LIMIT_RADIANS || theta > ANGLE_LIMIT_RADIANS;
        boolean truncated = elapsedSteps >= options.maxEpisodeSteps();
        double reward;
        if (options.suttonBartoReward()) {
            reward = terminated ? -1.0 : 0.0;
        } else {
            reward = 1.0;
        }
        if (terminated || truncated) {
            episode.ended();
        }
        return new StepResult(observation(), reward, terminated, truncated, Map.of());
    }

    /** The state in float64, as Gymnasium keeps it: position, velocity, angle, angular velocity. */
    public double[] state() throws EnvStateException {
        episode.checkOpen();
        episode.requireState("state");
        return new double[] {x, xDot, theta, thetaDot};
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return episode.elapsedSteps();
    }

    @Override
    public RgbFrame render() throws EnvStateException {
        episode.checkOpen();
        episode.requireState("render");
        return CartPoleRenderer.render(x, theta);
    }

    @Override
    public void close() {
        episode.close();
    }

    @Override
    public String toString() {
        return "CartPole<" + ID + ">";
    }

    private Tensor observation() {
        return new Tensor(DType.FLOAT32, OBSERVATION_SHAPE,
                new double[] {(float) x, (float) xDot, (float) theta, (float) thetaDot});
    }

    private static double boundOption(Map<String, Object> options, String key, double fallback)
            throws InvalidArgumentException {
        if (!options.containsKey(key)) {
            return fallback;
        }
        Object value = options.get(key);
        if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
            throw new InvalidArgumentException(
                    "reset option " + key + " must be a number, got " + PythonRepr.describeValue(value));
        }
        return number.doubleValue();
    }

    /** Gymnasium's bounds, [2 * 2.4, inf, 2 * 12 degrees, inf], stored as float32 like its Box. */
    private static double[] float32Bounds(int sign) {
        return new double[] {
            sign * (float) (POSITION_LIMIT_METRES * 2),
            sign * Double.POSITIVE_INFINITY,
            sign * (float) (ANGLE_LIMIT_RADIANS * 2),
            sign * Double.POSITIVE_INFINITY,
        };
    }
}
