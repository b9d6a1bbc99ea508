package dev.gymlink.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.RgbFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

class GifWriterTest {

    @TempDir
    Path dir;

    /** A white frame with a red square whose left edge moves with {@code position}. */
    private static RgbFrame frame(int height, int width, int position) {
        byte[] rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                boolean square = x >= position && x < position + 10 && y >= 5 && y < 15;
                rgb[i] = (byte) 255;
                rgb[i + 1] = (byte) (square ? 0 : 255);
                rgb[i + 2] = (byte) (square ? 0 : 255);
            }
        }
        return new RgbFrame(height, width, rgb);
    }

    @Test
    void writesALoopingAnimationThatDecodesFrameByFrame() throws Exception {
        Path gif = dir.resolve("out/episode.gif");
        try (GifWriter writer = GifWriter.create(gif, 25, 1.0)) {
            for (int step = 0; step < 7; step++) {
                writer.write(frame(40, 60, step * 5));
            }
            assertEquals(7, writer.frames());
        }

        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream input = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(input);
            assertEquals(7, reader.getNumImages(true));
            for (int i = 0; i < 7; i++) {
                BufferedImage image = reader.read(i);
                assertEquals(60, image.getWidth());
                assertEquals(40, image.getHeight());
                int left = i * 5;
                assertEquals(0xff0000, image.getRGB(left, 10) & 0xffffff, "frame " + i + " shows the square");
                if (left > 0) {
                    assertEquals(0xffffff, image.getRGB(left - 1, 10) & 0xffffff, "frame " + i + " left of it");
                }
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                assertEquals("4", find(root, "GraphicControlExtension").getAttribute("delayTime"), "25 fps = 4/100 s");
            }
            IIOMetadataNode first = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode loop = find(first, "ApplicationExtension");
            assertNotNull(loop, "the first frame carries the loop extension");
            assertEquals("NETSCAPE", loop.getAttribute("applicationID"));
            byte[] loopBlock = (byte[]) loop.getUserObject();
            assertEquals(0, loopBlock[1] | loopBlock[2] << 8, "loop count 0 = forever");
        } finally {
            reader.dispose();
        }
        assertFalse(Files.exists(gif.resolveSibling("episode.gif.partial")));
    }

    @Test
    void scalingShrinksEveryFrame() throws Exception {
        Path gif = dir.resolve("small.gif");
        try (GifWriter writer = GifWriter.create(gif, 30, 0.5)) {
            writer.write(frame(400, 600, 0));
            writer.write(frame(400, 600, 100));
        }
        BufferedImage image = ImageIO.read(gif.toFile());
        assertEquals(300, image.getWidth());
        assertEquals(200, image.getHeight());
    }

    @Test
    void framesWithMoreThan256ColoursAreQuantisedNotRefused() throws Exception {
        int height = 64;
        int width = 64;
        byte[] rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) (x * 4);
                rgb[i + 1] = (byte) (y * 4);
                rgb[i + 2] = (byte) 128;
            }
        }
        Path gif = dir.resolve("gradient.gif");
        try (GifWriter writer = GifWriter.create(gif, 10, 1.0)) {
            writer.write(new RgbFrame(height, width, rgb));
        }
        BufferedImage image = ImageIO.read(gif.toFile());
        assertEquals(width, image.getWidth());
        int corner = image.getRGB(width - 1, height - 1);
        assertTrue(Math.abs(((corner >> 16) & 0xff) - 252) <= 24 && Math.abs(((corner >> 8) & 0xff) - 252) <= 24,
                "a 4096-colour gradient keeps its colours approximately: " + Integer.toHexString(corner));
    }

    @Test
    void framesOfAnotherSizeAreRefused() throws Exception {
        try (GifWriter writer = GifWriter.create(dir.resolve("a.gif"), 30, 1.0)) {
            writer.write(frame(40, 60, 0));
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> writer.write(frame(41, 60, 0)));
            assertTrue(error.getMessage().contains("41x60"), error.getMessage());
        }
    }

    @Test
    void anEmptyRecordingLeavesNoFile() throws Exception {
        Path gif = dir.resolve("empty.gif");
        GifWriter writer = GifWriter.create(gif, 30, 1.0);
        assertThrows(IOException.class, writer::close);
        assertFalse(Files.exists(gif));
        assertFalse(Files.exists(dir.resolve("empty.gif.partial")));
    }

    @Test
    void badSpeedOrScaleIsRefusedWithTheValue() {
        IllegalArgumentException speed = assertThrows(IllegalArgumentException.class,
                () -> GifWriter.create(dir.resolve("x.gif"), 0, 1.0));
        assertTrue(speed.getMessage().contains("got 0"));
        IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
                () -> GifWriter.create(dir.resolve("x.gif"), 30, 1.5));
        assertTrue(scale.getMessage().contains("1.5"));
    }

    private static IIOMetadataNode find(IIOMetadataNode node, String name) {
        if (node.getNodeName().equals(name)) {
            return node;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            IIOMetadataNode found = find((IIOMetadataNode) child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
