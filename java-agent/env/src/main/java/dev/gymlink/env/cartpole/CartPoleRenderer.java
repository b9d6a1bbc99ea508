package dev.gymlink.env.cartpole;

import dev.gymlink.env.RgbFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Draws a CartPole state as Gymnasium's {@code rgb_array} frame does: 600x400, white background, a
 * black cart on a black track, a tan pole and a blue-grey axle, the world spanning ±4.8 m across the
 * width. Java2D instead of pygame, so the picture matches in layout and colour, not pixel for pixel.
 */
final class CartPoleRenderer {

    static final int WIDTH_PIXELS = 600;
    static final int HEIGHT_PIXELS = 400;

    private static final double WORLD_WIDTH_METRES = CartPole.POSITION_LIMIT_METRES * 2;
    private static final double PIXELS_PER_METRE = WIDTH_PIXELS / WORLD_WIDTH_METRES;
    private static final double POLE_WIDTH_PIXELS = 10.0;
    private static final double POLE_LENGTH_PIXELS = PIXELS_PER_METRE * (2 * CartPole.POLE_HALF_LENGTH_METRES);
    private static final double CART_WIDTH_PIXELS = 50.0;
    private static final double CART_HEIGHT_PIXELS = 30.0;
    /** Height of the cart's top above the bottom edge (Gymnasium draws bottom-up, then flips). */
    private static final double CART_TOP_PIXELS = 100;
    private static final double AXLE_OFFSET_PIXELS = CART_HEIGHT_PIXELS / 4.0;

    private static final Color BACKGROUND = Color.WHITE;
    private static final Color CART = Color.BLACK;
    private static final Color POLE = new Color(202, 152, 101);
    private static final Color AXLE = new Color(129, 132, 203);
    private static final Color TRACK = Color.BLACK;

    private CartPoleRenderer() {}

    static RgbFrame render(double cartPosition, double poleAngle) {
        BufferedImage image = new BufferedImage(WIDTH_PIXELS, HEIGHT_PIXELS, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, WIDTH_PIXELS, HEIGHT_PIXELS);
            // World coordinates grow upwards, as in Gymnasium before its final flip.
            g.translate(0, HEIGHT_PIXELS);
            g.scale(1, -1);

            double cartCentre = cartPosition * PIXELS_PER_METRE + WIDTH_PIXELS / 2.0;
            g.setColor(CART);
            g.fill(new Rectangle2D.Double(cartCentre - CART_WIDTH_PIXELS / 2, CART_TOP_PIXELS - CART_HEIGHT_PIXELS / 2,
                    CART_WIDTH_PIXELS, CART_HEIGHT_PIXELS));

            double axleY = CART_TOP_PIXELS + AXLE_OFFSET_PIXELS;
            AffineTransform beforePole = g.getTransform();
            g.translate(cartCentre, axleY);
            g.rotate(-poleAngle); // a positive angle leans the pole to the right
            g.setColor(POLE);
            g.fill(new Rectangle2D.Double(-POLE_WIDTH_PIXELS / 2, -POLE_WIDTH_PIXELS / 2,
                    POLE_WIDTH_PIXELS, POLE_LENGTH_PIXELS));
            g.setTransform(beforePole);

            g.setColor(AXLE);
            double radius = POLE_WIDTH_PIXELS / 2;
            g.fill(new Ellipse2D.Double(Math.floor(cartCentre) - radius, Math.floor(axleY) - radius, 2 * radius,
                    2 * radius));

            g.setColor(TRACK);
            g.setStroke(new BasicStroke(1f));
            g.draw(new Line2D.Double(0, CART_TOP_PIXELS, WIDTH_PIXELS, CART_TOP_PIXELS));
        } finally {
            g.dispose();
        }
        return RgbFrame.fromBgr(HEIGHT_PIXELS, WIDTH_PIXELS, ((DataBufferByte) image.getRaster().getDataBuffer()).getData());
    }
}
