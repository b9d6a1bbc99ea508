package dev.gymlink.env.cartpole;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * sin and cos that round exactly as glibc's libm does, because numpy's {@code np.sin}/{@code np.cos}
 * on float64 call it and Gymnasium's CartPole takes both once per step: {@link Math#sin} and
 * {@link StrictMath#sin} differ from glibc in the last bit for about 0.3% and 2% of the angles,
 * and one such bit, carried through 500 Euler steps, can change a float32 observation.
 *
 * <p>The method is the one of IBM's Accurate Mathematical Library that glibc uses for |x| below
 * about 10^8: for small x an odd Taylor polynomial; otherwise x is split into the nearest multiple
 * {@code X} of 1/128 and a remainder {@code r}, and sin(X + r) / cos(X + r) are put together from a
 * table of sin X and cos X (each as a double plus a correction) and short polynomials in r. Larger
 * arguments fall back to {@link StrictMath}, which no CartPole state reaches.
 *
 * <p>glibc on x86-64 CPUs with AVX2 and FMA runs a build of the same code in which the compiler
 * fused multiply-adds, and rounds differently from its plain build: {@link #FUSED} and {@link #PLAIN}
 * copy one each. {@link #NATIVE} is the one glibc picks on this CPU (the {@code fma} and {@code avx2}
 * flags of {@code /proc/cpuinfo}, as glibc's own dispatch does) unless the system property
 * {@value #FUSED_PROPERTY} says {@code true} or {@code false}, e.g. to match a server on another machine.
 *
 * <p>Public for the other Java ports whose Gymnasium originals call {@code np.sin}/{@code np.cos} (Pendulum).
 */
public final class LibmTrig {

    static final String FUSED_PROPERTY = "gymlink.libm.fused";

    /** Rounds like glibc's FMA build (x86-64 with AVX2 and FMA). */
    static final LibmTrig FUSED = new LibmTrig(true);
    /** Rounds like glibc's plain x86-64 build. */
    static final LibmTrig PLAIN = new LibmTrig(false);
    /** The build numpy uses on this machine. */
    public static final LibmTrig NATIVE = detectFused() ? FUSED : PLAIN;

    // Taylor coefficients of sin, close to -1/3!, 1/5!, -1/7!, 1/9!, -1/11!.
    private static final double S1 = -0x1.5555555555555p-3;
    private static final double S2 = 0x1.1111111110ECEp-7;
    private static final double S3 = -0x1.A01A019DB08B8p-13;
    private static final double S4 = 0x1.71DE27B9A7ED9p-19;
    private static final double S5 = -0x1.ADDFFC2FCDF59p-26;
    // Shorter polynomials for the remainder r, |r| <= 1/256.
    private static final double SN3 = -1.66666666666664880952546298448555E-01;
    private static final double SN5 = 8.33333214285722277379541354343671E-03;
    private static final double CS2 = 4.99999999999999999999950396842453E-01;
    private static final double CS4 = -4.16666666666664434524222570944589E-02;
    private static final double CS6 = 1.38888874007937613028114285595617E-03;
    /** Adding 1.5 * 2^45 rounds a number below 2^44 to a multiple of 1/128 (the low bits hold the multiple). */
    private static final double BIG = 0x1.8000000000000p45;
    /** pi/2 as a double plus the rest. */
    private static final double HALF_PI_HIGH = 0x1.921FB54442D18p0;
    private static final double HALF_PI_LOW = 0x1.1A62633145C07p-54;
    /** pi/2 in pieces for the quadrant reduction. */
    private static final double MP1 = 0x1.921FB58000000p0;
    private static final double MP2 = -0x1.DDE973C000000p-27;
    private static final double PP3 = -0x1.CB3B398000000p-55;
    private static final double PP4 = -0x1.d747f23e32ed7p-83;
    private static final double TWO_OVER_PI = 0x1.45F306DC9C883p-1;
    /** Adding 1.5 * 2^52 rounds to an integer held in the low bits. */
    private static final double TO_INT = 0x1.8000000000000p52;

    private static final double SMALL = 0.126;
    private static final double TABLE_LIMIT = Double.longBitsToDouble(0x3feb6000_00000000L); // ~0.855469
    private static final double DIRECT_LIMIT = Double.longBitsToDouble(0x400368fd_00000000L); // ~2.426265
    private static final double REDUCTION_LIMIT = Double.longBitsToDouble(0x419921FB_00000000L); // ~105414350
    private static final double SIN_TINY = Double.longBitsToDouble(0x3e500000_00000000L); // 2^-26
    private static final double COS_TINY = Double.longBitsToDouble(0x3e400000_00000000L); // 2^-27

    private static final int TABLE_SIZE = 110;
    /** For X = i/128: sin X rounded, its rounding error, cos X rounded, its rounding error. */
    private static final double[] TABLE = buildTable();

    private final boolean fused;

    private LibmTrig(boolean fused) {
        this.fused = fused;
    }

    boolean isFused() {
        return fused;
    }

    public double sin(double x) {
        double ax = Math.abs(x);
        if (ax < SIN_TINY) {
            return x;
        }
        if (ax < TABLE_LIMIT) {
            return sinNear(x, 0);
        }
        if (ax < DIRECT_LIMIT) {
            return Math.copySign(cosNear(HALF_PI_HIGH - ax, HALF_PI_LOW), x);
        }
        if (ax < REDUCTION_LIMIT) {
            return reduced(x, 0);
        }
        return StrictMath.sin(x);
    }

    public double cos(double x) {
        double ax = Math.abs(x);
        if (ax < COS_TINY) {
            return 1.0;
        }
        if (ax < TABLE_LIMIT) {
            return cosNear(x, 0);
        }
        if (ax < DIRECT_LIMIT) {
            double y = HALF_PI_HIGH - ax;
            double a = y + HALF_PI_LOW;
            double da = (y - a) + HALF_PI_LOW;
            return sinNear(a, da);
        }
        if (ax < REDUCTION_LIMIT) {
            return reduced(x, 1);
        }
        return StrictMath.cos(x);
    }

    /** sin(x + dx) for |x| < 0.86. */
    private double sinNear(double x, double dx) {
        double xold = x;
        if (Math.abs(x) < SMALL) {
            double xx = x * x;
            double poly = mulAdd(mulAdd(mulAdd(mulAdd(S5, xx, S4), xx, S3), xx, S2), xx, S1);
            double t = mulAdd(mulAdd(poly, x, -(0.5 * dx)), xx, dx);
            return x + t;
        }
        if (x <= 0) {
            dx = -dx;
        }
        double u = BIG + Math.abs(x);
        x = Math.abs(x) - (u - BIG);
        int k = tableIndex(u);
        double xx = x * x;
        double s = x + mulAdd(x * xx, mulAdd(xx, SN5, SN3), dx);
        double c = mulAdd(x, dx, xx * mulAdd(xx, mulAdd(xx, CS6, CS4), CS2));
        double sn = TABLE[k];
        double ssn = TABLE[k + 1];
        double cs = TABLE[k + 2];
        double ccs = TABLE[k + 3];
        double cor = mulAdd(cs, s, mulAdd(-sn, c, mulAdd(s, ccs, ssn)));
        return Math.copySign(sn + cor, xold);
    }

    /** cos(x + dx) for |x| < 0.86. */
    private double cosNear(double x, double dx) {
        if (x < 0) {
            dx = -dx;
        }
        double u = BIG + Math.abs(x);
        x = Math.abs(x) - (u - BIG) + dx;
        int k = tableIndex(u);
        double xx = x * x;
        double s = mulAdd(x * xx, mulAdd(xx, SN5, SN3), x);
        double c = xx * mulAdd(xx, mulAdd(xx, CS6, CS4), CS2);
        double sn = TABLE[k];
        double ssn = TABLE[k + 1];
        double cs = TABLE[k + 2];
        double ccs = TABLE[k + 3];
        double cor = mulAdd(-sn, s, mulAdd(-cs, c, mulAdd(-s, ssn, ccs)));
        return cs + cor;
    }

    /** sin (quadrantShift 0) or cos (quadrantShift 1) after reducing x by a multiple of pi/2. */
    private double reduced(double x, int quadrantShift) {
        double t = x * TWO_OVER_PI + TO_INT;
        double xn = t - TO_INT;
        double y = (x - xn * MP1) - xn * MP2;
        int n = (int) (Double.doubleToRawLongBits(t) & 3);
        double t1 = xn * PP3;
        double t2 = y - t1;
        double db = (y - t2) - t1;
        t1 = xn * PP4;
        double b = t2 - t1;
        db += (t2 - b) - t1;
        n += quadrantShift;
        double value = (n & 1) != 0 ? cosNear(b, db) : sinNear(b, db);
        return (n & 2) != 0 ? -value : value;
    }

    private static int tableIndex(double u) {
        return (int) Double.doubleToRawLongBits(u) << 2;
    }

    private static boolean detectFused() {
        String forced = System.getProperty(FUSED_PROPERTY);
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line -> List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .map(flags -> flags.contains("fma") && flags.contains("avx2"))
                    .orElse(true);
        } catch (IOException | RuntimeException e) {
            return true; // no /proc/cpuinfo: assume a current CPU, which has FMA
        }
    }

    private double mulAdd(double a, double b, double c) {
        return fused ? Math.fma(a, b, c) : a * b + c;
    }

    /** sin and cos of i/128 to 40 digits, each split into a rounded double and its rounding error. */
    private static double[] buildTable() {
        MathContext precision = new MathContext(40);
        double[] table = new double[TABLE_SIZE * 4];
        for (int i = 0; i < TABLE_SIZE; i++) {
            BigDecimal angle = BigDecimal.valueOf(i).divide(BigDecimal.valueOf(128), precision);
            BigDecimal sin = BigDecimal.ZERO;
            BigDecimal cos = BigDecimal.ZERO;
            BigDecimal term = BigDecimal.ONE; // angle^n / n!
            for (int n = 0; n < 60; n++) {
                switch (n % 4) {
                    case 0 -> cos = cos.add(term, precision);
                    case 1 -> sin = sin.add(term, precision);
                    case 2 -> cos = cos.subtract(term, precision);
                    default -> sin = sin.subtract(term, precision);
                }
                term = term.multiply(angle, precision).divide(BigDecimal.valueOf(n + 1), precision);
            }
            double sinHigh = sin.doubleValue();
            double cosHigh = cos.doubleValue();
            table[4 * i] = sinHigh;
            table[4 * i + 1] = sin.subtract(new BigDecimal(sinHigh), precision).doubleValue();
            table[4 * i + 2] = cosHigh;
            table[4 * i + 3] = cos.subtract(new BigDecimal(cosHigh), precision).doubleValue();
        }
        return table;
    }
}
