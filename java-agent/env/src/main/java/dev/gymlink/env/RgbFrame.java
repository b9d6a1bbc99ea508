package dev.gymlink.env;

import java.util.Arrays;
import java.util.Objects;

/**
 * One rendered frame: Gymnasium's {@code rgb_array} (uint8, height x width x 3, row-major).
 *
 * @param height rows
 * @param width columns
 * @param rgb {@code height * width * 3} bytes, R, G, B per pixel (unsigned)
 */
public record RgbFrame(int height, int width, byte[] rgb) {

    public RgbFrame {
        Objects.requireNonNull(rgb, "rgb");
        if (height <= 0 || width <= 0 || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("frame " + height + "x" + width + " needs "
                    + (height * width * 3) + " bytes, got " + rgb.length);
        }
    }

    /**
     * A frame from pixels stored B, G, R (Java2D's {@code TYPE_3BYTE_BGR} raster, which the built-in
     * envs draw into).
     */
    public static RgbFrame fromBgr(int height, int width, byte[] bgr) {
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbFrame(height, width, rgb);
    }

    /** Packed 0xRRGGBB of the pixel at (row, column). */
    public int rgbAt(int row, int column) {
        int i = (row * width + column) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RgbFrame f && height == f.height && width == f.width && Arrays.equals(rgb, f.rgb);
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, Arrays.hashCode(rgb));
    }

    @Override
    public String toString() {
        return "RgbFrame(" + height + "x" + width + ")";
    }
}
