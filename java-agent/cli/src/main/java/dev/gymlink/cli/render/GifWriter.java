package dev.gymlink.cli.render;

import dev.gymlink.env.RgbFrame;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes {@link RgbFrame}s as an animated, endlessly looping GIF, one frame at a time, so an
 * episode of any length never has to be held in memory. Uses only the JDK's ImageIO GIF writer,
 * which builds each frame's 256-colour palette itself (exact for rendered envs with few colours).
 *
 * <p>The file appears under its name only once {@link #close()} succeeds; until then it is written
 * beside it, so a failed recording never leaves a truncated GIF behind.
 */
public final class GifWriter implements Closeable {

    /** GIF delays count hundredths of a second; browsers slow down anything faster than 50 fps. */
    public static final int MAX_FRAMES_PER_SECOND = 50;

    private static final String GIF_METADATA_FORMAT = "javax_imageio_gif_image_1.0";

    private final Path target;
    private final Path partial;
    private final int delayCentiseconds;
    private final double scale;
    private final ImageWriter writer;
    private final ImageOutputStream output;
    private int frames;
    private int width = -1;
    private int height = -1;
    private boolean closed;

    private GifWriter(Path target, int framesPerSecond, double scale) throws IOException {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
        this.delayCentiseconds = Math.max(2, Math.round(100f / framesPerSecond));
        this.scale = scale;
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IOException("this JDK has no GIF writer (javax.imageio)");
        }
        this.writer = writers.next();
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(partial);
        this.output = ImageIO.createImageOutputStream(partial.toFile());
        if (output == null) {
            throw new IOException("cannot open " + partial + " for writing");
        }
        writer.setOutput(output);
        writer.prepareWriteSequence(null);
    }

    /**
     * Starts a GIF.
     *
     * @param framesPerSecond playback speed, 1..{@value #MAX_FRAMES_PER_SECOND}
     * @param scale size factor applied to every frame, in (0, 1]; e.g. 0.5 for a small preview
     */
    public static GifWriter create(Path target, int framesPerSecond, double scale) throws IOException {
        if (framesPerSecond < 1 || framesPerSecond > MAX_FRAMES_PER_SECOND) {
            throw new IllegalArgumentException(
                    "frames per second must be 1.." + MAX_FRAMES_PER_SECOND + ", got " + framesPerSecond);
        }
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
        }
        return new GifWriter(target, framesPerSecond, scale);
    }

    /** Appends a frame; every frame must have the size of the first. */
    public void write(RgbFrame frame) throws IOException {
        if (closed) {
            throw new IllegalStateException("GIF " + target + " is already closed");
        }
        if (width < 0) {
            width = frame.width();
            height = frame.height();
        } else if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame " + frames + " is " + frame.height() + "x" + frame.width()
                    + ", the first was " + height + "x" + width);
        }
        BufferedImage image = indexedIfFewColors(scaled(toImage(frame)));
        // Not createFromRenderedImage: for standard image types it forgets the image's own palette.
        IIOMetadata metadata = writer.getDefaultImageMetadata(
                new ImageTypeSpecifier(image.getColorModel(), image.getSampleModel()), null);
        describeFrame(metadata, frames == 0);
        writer.writeToSequence(new IIOImage(image, null, metadata), null);
        frames++;
    }

    /** Frames written so far. */
    public int frames() {
        return frames;
    }

    /** Finishes the file and moves it to its name. A GIF needs at least one frame. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean complete = false;
        try {
            if (frames == 0) {
                throw new IOException("no frames were recorded for " + target);
            }
            writer.endWriteSequence();
            complete = true;
        } finally {
            writer.dispose();
            output.close();
            if (!complete) {
                Files.deleteIfExists(partial);
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static BufferedImage toImage(RgbFrame frame) {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[frame.width()];
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                row[x] = frame.rgbAt(y, x);
            }
            image.setRGB(0, y, frame.width(), 1, row, 0, frame.width());
        }
        return image;
    }

    /**
     * The image with its own exact palette when it has at most 256 colours (rendered envs usually
     * do). ImageIO would otherwise quantise every frame with its general-purpose palette builder,
     * which is slow (tens of milliseconds per frame) and not exact.
     */
    static BufferedImage indexedIfFewColors(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        Map<Integer, Integer> palette = new HashMap<>();
        byte[] indices = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int rgb = pixels[i] & 0xffffff;
            Integer index = palette.get(rgb);
            if (index == null) {
                if (palette.size() == 256) {
                    return image;
                }
                index = palette.size();
                palette.put(rgb, index);
            }
            indices[i] = (byte) index.intValue();
        }
        // One full 8-bit table (unused entries black): ImageIO's GIF writer mishandles smaller ones
        // on byte-per-pixel images.
        int size = 256;
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        palette.forEach((rgb, index) -> {
            reds[index] = (byte) (rgb >> 16);
            greens[index] = (byte) (rgb >> 8);
            blues[index] = (byte) rgb.intValue();
        });
        IndexColorModel colors = new IndexColorModel(8, size, reds, greens, blues);
        BufferedImage indexed = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, colors);
        indexed.getRaster().setDataElements(0, 0, width, height, indices);
        return indexed;
    }

    private BufferedImage scaled(BufferedImage image) {
        if (scale == 1.0) {
            return image;
        }
        int scaledWidth = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int scaledHeight = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage result = new BufferedImage(scaledWidth, scaledHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = result.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, scaledWidth, scaledHeight, null);
        } finally {
            graphics.dispose();
        }
        return result;
    }

    /** Sets the frame delay, and on the first frame the NETSCAPE2.0 extension that makes it loop forever. */
    private void describeFrame(IIOMetadata metadata, boolean first) throws IIOInvalidTreeException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(GIF_METADATA_FORMAT);

        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCentiseconds));
        control.setAttribute("transparentColorIndex", "0");

        if (first) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            // Sub-block 1, then the loop count as a little-endian short; 0 means forever.
            loop.setUserObject(new byte[] {1, 0, 0});
            extensions.appendChild(loop);
        }
        metadata.setFromTree(GIF_METADATA_FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) parent.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }
}
