package io.grambot.plugin.nanobanana.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of an image as Gemini's {@code imageConfig} names it: an aspect ratio such as {@code 16:9} and a size of
 * {@code 1K}, {@code 2K} or {@code 4K}. Reads the forms a caller may use instead: dimensions such as
 * {@code 1792x1024}, an unlisted ratio such as {@code 7:5} (both mapped to the nearest supported ratio), and the words
 * {@code square}, {@code landscape} and {@code portrait}.
 *
 * @param aspectRatio a supported aspect ratio, or empty for the model's default
 * @param imageSize {@code 1K}, {@code 2K} or {@code 4K}, or empty for the model's default
 */
record ImageShape(Optional<String> aspectRatio, Optional<String> imageSize) {

    /** The aspect ratios the Gemini image models accept, in the order the documentation lists them. */
    static final List<String> ASPECT_RATIOS = List.of("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9",
            "21:9");
    /** The sizes the models that take an {@code imageSize} accept (Gemini 3 Pro Image); the K is upper case. */
    static final List<String> IMAGE_SIZES = List.of("1K", "2K", "4K");

    static final ImageShape DEFAULT = new ImageShape(Optional.empty(), Optional.empty());

    private static final Pattern RATIO = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*:\\s*(\\d+(?:\\.\\d+)?)");
    private static final Pattern DIMENSIONS = Pattern.compile("(\\d+)\\s*[x×*]\\s*(\\d+)");
    private static final Map<String, String> WORDS = Map.of("square", "1:1", "landscape", "16:9", "portrait", "9:16");
    private static final String EXPECTED = "an aspect ratio such as 16:9, dimensions such as 1024x1024, 1K, 2K or 4K, "
            + "square, landscape or portrait";

    ImageShape {
        aspectRatio = aspectRatio == null ? Optional.empty() : aspectRatio;
        imageSize = imageSize == null ? Optional.empty() : imageSize;
    }

    /** This shape with each part it leaves open taken from {@code fallback}. */
    ImageShape or(ImageShape fallback) {
        return new ImageShape(aspectRatio.or(fallback::aspectRatio), imageSize.or(fallback::imageSize));
    }

    /**
     * The shape a request's {@code size} asks for: an aspect ratio or dimensions (the nearest supported ratio), a
     * size ({@code 2K}), or a word; blank and {@code auto} leave both to the model.
     *
     * @throws IllegalArgumentException if the value is none of these
     */
    static ImageShape ofSize(String size) {
        String value = size == null ? "" : size.strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("auto") || value.equals("default")) {
            return DEFAULT;
        }
        if (value.matches("[124]k")) {
            return new ImageShape(Optional.empty(), Optional.of(value.toUpperCase(Locale.ROOT)));
        }
        return new ImageShape(Optional.of(nearestRatio(size.strip(), "size", EXPECTED)), Optional.empty());
    }

    /**
     * A supported aspect ratio for an aspect ratio or dimensions: the same one, or the nearest supported; empty for
     * a blank value.
     *
     * @param what what the value is, for the error message, for example {@code option 'aspectRatio'}
     * @throws IllegalArgumentException if the value is not a ratio, dimensions or one of the words
     */
    static Optional<String> aspectRatio(String ratio, String what) {
        String value = ratio == null ? "" : ratio.strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(nearestRatio(value, what, "an aspect ratio such as 16:9 (supported: "
                + String.join(", ", ASPECT_RATIOS) + "), dimensions such as 1024x1024, square, landscape or portrait"));
    }

    /**
     * An image size in the form the API needs ({@code 2k} becomes {@code 2K}); empty for a blank value.
     *
     * @throws IllegalArgumentException if the value is not 1K, 2K or 4K
     */
    static Optional<String> imageSize(String size, String what) {
        String value = size == null ? "" : size.strip().toUpperCase(Locale.ROOT);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!IMAGE_SIZES.contains(value)) {
            throw new IllegalArgumentException(what + " must be one of " + String.join(", ", IMAGE_SIZES)
                    + " (or empty for the model's default), was '" + size + "'");
        }
        return Optional.of(value);
    }

    /** The supported ratio nearest to a ratio or dimensions (compared on a logarithmic scale), or the word's ratio. */
    private static String nearestRatio(String given, String what, String expected) {
        String value = given.toLowerCase(Locale.ROOT);
        String word = WORDS.get(value);
        if (word != null) {
            return word;
        }
        Matcher ratio = RATIO.matcher(value);
        Matcher dimensions = DIMENSIONS.matcher(value);
        double width;
        double height;
        if (ratio.matches()) {
            width = Double.parseDouble(ratio.group(1));
            height = Double.parseDouble(ratio.group(2));
        } else if (dimensions.matches()) {
            width = Double.parseDouble(dimensions.group(1));
            height = Double.parseDouble(dimensions.group(2));
        } else {
            throw new IllegalArgumentException(what + " must be " + expected + ", was '" + given + "'");
        }
        if (width <= 0 || height <= 0 || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException(what + " must have a width and a height above 0, was '" + given + "'");
        }
        double wanted = Math.log(width / height);
        return ASPECT_RATIOS.stream().min(Comparator.comparingDouble(r -> Math.abs(Math.log(ratio(r)) - wanted)))
                .orElseThrow();
    }

    private static double ratio(String supported) {
        int colon = supported.indexOf(':');
        return Double.parseDouble(supported.substring(0, colon)) / Double.parseDouble(supported.substring(colon + 1));
    }
}
