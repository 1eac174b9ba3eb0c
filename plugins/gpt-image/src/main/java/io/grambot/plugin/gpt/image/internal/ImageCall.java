package io.grambot.plugin.gpt.image.internal;

import static io.grambot.plugin.gpt.image.internal.GptImageSettings.oneOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.image.ImageRequest;
import io.grambot.plugin.gpt.image.internal.GptImageSettings.Family;

/**
 * One request's parameters, checked against the model: what the request names, else the instance's setting. The
 * fields a model does not take are {@code null} and not sent.
 *
 * @param prompt what to draw
 * @param count {@code n}
 * @param size {@code size}, or {@code null} to leave it to the model
 * @param quality {@code quality}, or {@code null} to leave it to the model
 * @param outputFormat {@code output_format}, or {@code null} (dall-e-3)
 * @param background {@code background}, or {@code null} (dall-e-3)
 * @param moderation {@code moderation}, or {@code null} (dall-e-3, and edits, which take none)
 * @param images the images to edit, each with a file name and the media type its bytes have; empty to generate
 * @param mask the PNG whose transparent pixels mark where the first image is edited, or {@code null}
 */
record ImageCall(String prompt, int count, String size, String quality, ImageFormat outputFormat, String background,
        String moderation, List<Media> images, Media mask) {

    static final String QUALITY = "quality";
    static final String BACKGROUND = "background";
    static final String OUTPUT_FORMAT = "output_format";
    static final String OUTPUT_FORMAT_CAMEL = "outputFormat";
    static final String MODERATION = "moderation";
    static final String MASK = "mask";
    private static final Set<String> OPTIONS = Set.of(QUALITY, BACKGROUND, OUTPUT_FORMAT, OUTPUT_FORMAT_CAMEL,
            MODERATION, MASK);
    /** The most images an edit takes (GPT image models). */
    static final int MAX_INPUT_IMAGES = 16;

    ImageCall {
        images = List.copyOf(images);
    }

    /** Whether this is an edit of input images ({@code POST /images/edits}) rather than a generation. */
    boolean edit() {
        return !images.isEmpty();
    }

    /**
     * The parameters of {@code request} for the instance's model.
     *
     * @throws PluginException if the request asks for something the model or the instance does not allow, saying what
     */
    static ImageCall of(ImageRequest request, GptImageSettings settings) throws PluginException {
        try {
            return resolve(request, settings);
        } catch (IllegalArgumentException e) {
            throw new PluginException(e.getMessage());
        }
    }

    private static ImageCall resolve(ImageRequest request, GptImageSettings settings) {
        String model = settings.model();
        Family family = settings.family();
        if (request.prompt().isBlank()) {
            throw new IllegalArgumentException("the prompt is empty: say what the image should show");
        }
        Map<String, Object> options = request.options();
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "': this generator takes " + QUALITY
                        + ", " + BACKGROUND + ", " + OUTPUT_FORMAT + " (or " + OUTPUT_FORMAT_CAMEL + "), " + MODERATION
                        + " and " + MASK);
            }
        }
        if (request.count() > settings.maxImages()) {
            throw new IllegalArgumentException("asked for " + request.count() + " images, more than this instance's "
                    + "maxImages (" + settings.maxImages() + ")");
        }
        String size = request.size() == null || request.size().isBlank() ? settings.size()
                : oneOf(request.size(), family.sizes(), "the size (model '" + model + "')");
        String quality = option(options, QUALITY) == null ? settings.quality()
                : oneOf(option(options, QUALITY), family.qualities(), "option '" + QUALITY + "' (model '" + model
                        + "')");
        if (family == Family.DALL_E_3) {
            return dallE3(request, model, size, quality);
        }
        String background = option(options, BACKGROUND) == null ? settings.background()
                : oneOf(option(options, BACKGROUND), GptImageSettings.BACKGROUNDS, "option '" + BACKGROUND + "'");
        ImageFormat format = outputFormat(options, settings.outputFormat());
        if (background.equals(GptImageSettings.TRANSPARENT) && format == ImageFormat.JPEG) {
            throw new IllegalArgumentException("a transparent background needs output format 'png' or 'webp' (JPEG "
                    + "has no transparency), was 'jpeg'");
        }
        boolean edit = !request.inputImages().isEmpty();
        String moderation = null;
        if (!edit) {
            moderation = option(options, MODERATION) == null ? settings.moderation()
                    : oneOf(option(options, MODERATION), GptImageSettings.MODERATIONS, "option '" + MODERATION + "'");
        } else if (options.containsKey(MODERATION)) {
            throw new IllegalArgumentException("option '" + MODERATION + "' applies to generations only: OpenAI's "
                    + "edits endpoint takes none");
        }
        if (request.inputImages().size() > MAX_INPUT_IMAGES) {
            throw new IllegalArgumentException("an edit takes at most " + MAX_INPUT_IMAGES + " input images, was "
                    + request.inputImages().size());
        }
        List<Media> images = new ArrayList<>();
        for (Media image : request.inputImages()) {
            images.add(upload(image, images.size()));
        }
        return new ImageCall(request.prompt(), request.count(), size, quality, format, background, moderation, images,
                mask(options.get(MASK), edit));
    }

    /** dall-e-3: one image, no edits, none of the GPT image options, {@code standard} or {@code hd}. */
    private static ImageCall dallE3(ImageRequest request, String model, String size, String quality) {
        if (request.count() > 1) {
            throw new IllegalArgumentException("model '" + model + "' makes one image per request (n=1), asked for "
                    + request.count());
        }
        if (!request.inputImages().isEmpty()) {
            throw new IllegalArgumentException("model '" + model + "' cannot edit images: choose a GPT image model "
                    + "such as '" + GptImageSettings.DEFAULT_MODEL + "' for requests with input images");
        }
        for (String key : List.of(BACKGROUND, OUTPUT_FORMAT, OUTPUT_FORMAT_CAMEL, MODERATION, MASK)) {
            if (request.options().containsKey(key)) {
                throw new IllegalArgumentException("model '" + model + "' takes no option '" + key + "' (GPT image "
                        + "models only)");
            }
        }
        String dallEQuality = switch (quality) {
            case GptImageSettings.AUTO -> null;
            case "high", "hd" -> "hd";
            default -> "standard"; // low, medium, standard
        };
        return new ImageCall(request.prompt(), 1, size.equals(GptImageSettings.AUTO) ? null : size, dallEQuality,
                null, null, null, List.of(), null);
    }

    private static ImageFormat outputFormat(Map<String, Object> options, ImageFormat setting) {
        String snake = option(options, OUTPUT_FORMAT);
        String camel = option(options, OUTPUT_FORMAT_CAMEL);
        ImageFormat format = snake == null ? null : ImageFormat.of(snake, "option '" + OUTPUT_FORMAT + "'");
        ImageFormat other = camel == null ? null : ImageFormat.of(camel, "option '" + OUTPUT_FORMAT_CAMEL + "'");
        if (format != null && other != null && format != other) {
            throw new IllegalArgumentException("options '" + OUTPUT_FORMAT + "' and '" + OUTPUT_FORMAT_CAMEL
                    + "' disagree: '" + snake + "' and '" + camel + "'");
        }
        return format != null ? format : other != null ? other : setting;
    }

    /** An input image with the media type its bytes have and a file name. */
    private static Media upload(Media image, int index) {
        byte[] data = image.data();
        String what = "input image #" + (index + 1);
        if (data.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        ImageFormat format = ImageFormat.sniff(data).or(() -> ImageFormat.ofMediaType(image.mediaType()))
                .orElseThrow(() -> new IllegalArgumentException(what + " must be a PNG, JPEG or WebP image, was "
                        + image.mediaType() + " (" + data.length + " bytes)"));
        String name = image.fileName() == null || image.fileName().isBlank()
                ? "image-" + (index + 1) + "." + format.extension : image.fileName();
        return new Media(format.mediaType, data, name);
    }

    private static Media mask(Object value, boolean edit) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Media mask)) {
            throw new IllegalArgumentException("option '" + MASK + "' must be an image (Media), a PNG with an alpha "
                    + "channel, was " + value.getClass().getSimpleName());
        }
        if (!edit) {
            throw new IllegalArgumentException("option '" + MASK + "' needs input images: its transparent pixels mark "
                    + "where the first one is edited");
        }
        byte[] data = mask.data();
        ImageFormat format = ImageFormat.sniff(data).or(() -> ImageFormat.ofMediaType(mask.mediaType())).orElse(null);
        if (format != ImageFormat.PNG) {
            throw new IllegalArgumentException("option '" + MASK + "' must be a PNG with an alpha channel, was "
                    + (format == null ? mask.mediaType() : format.mediaType) + " (" + data.length + " bytes)");
        }
        return new Media(format.mediaType, data, mask.fileName() == null || mask.fileName().isBlank() ? "mask.png"
                : mask.fileName());
    }

    /** A text option, or {@code null} if the request does not set it. */
    private static String option(Map<String, Object> options, String key) {
        Object value = options.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("option '" + key + "' must be a text, was " + value.getClass()
                    .getSimpleName() + " " + value);
        }
        return text;
    }
}
