package dev.gymlink.env.pendulum;

import dev.gymlink.env.RgbFrame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Draws a Pendulum state as Gymnasium's {@code rgb_array} frame does: 500x500, white background, a
 * red rod of length 1 with rounded ends from the centre, a black axle, the world spanning ±2.2 across
 * the frame, theta 0 pointing up. Java2D instead of pygame, so the picture matches in layout and
 * colour, not pixel for pixel; Gymnasium's torque arrow is left out.
 */
final class PendulumRenderer {

    static final int SIZE_PIXELS = 500;

    private static final double WORLD_BOUND = 2.2;
    private static final double PIXELS_PER_UNIT = SIZE_PIXELS / (WORLD_BOUND * 2);
    private static final double ROD_LENGTH_PIXELS = Pendulum.LENGTH_METRES * PIXELS_PER_UNIT;
    private static final double ROD_WIDTH_PIXELS = 0.2 * PIXELS_PER_UNIT;
    private static final double AXLE_RADIUS_PIXELS = (int) (0.05 * PIXELS_PER_UNIT);
    private static final Color ROD = new Color(204, 77, 77);
    private static final Color AXLE = Color.BLACK;

    private PendulumRenderer() {}

    static RgbFrame render(double theta) {
        BufferedImage image = new BufferedImage(SIZE_PIXELS, SIZE_PIXELS, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE_PIXELS, SIZE_PIXELS);
            // Bottom-up world coordinates centred in the frame, as Gymnasium draws before its flip.
            g.translate(SIZE_PIXELS / 2.0, SIZE_PIXELS / 2.0);
            g.scale(1, -1);
            AffineTransform centre = g.getTransform();
            g.rotate(theta + Math.PI / 2);
            g.setColor(ROD);
            double radius = (int) (ROD_WIDTH_PIXELS / 2);
            g.fill(new Rectangle2D.Double(0, -ROD_WIDTH_PIXELS / 2, ROD_LENGTH_PIXELS, ROD_WIDTH_PIXELS));
            g.fill(new Ellipse2D.Double(-radius, -radius, 2 * radius, 2 * radius));
            g.fill(new Ellipse2D.Double(ROD_LENGTH_PIXELS - radius, -radius, 2 * radius, 2 * radius));
            g.setTransform(centre);
            g.setColor(AXLE);
            g.fill(new Ellipse2D.Double(-AXLE_RADIUS_PIXELS, -AXLE_RADIUS_PIXELS, 2 * AXLE_RADIUS_PIXELS,
                    2 * AXLE_RADIUS_PIXELS));
        } finally {
            g.dispose();
        }
        return RgbFrame.fromBgr(SIZE_PIXELS, SIZE_PIXELS, ((DataBufferByte) image.getRaster().getDataBuffer()).getData());
    }
}
