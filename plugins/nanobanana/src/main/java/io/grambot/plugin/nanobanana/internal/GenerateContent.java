package io.grambot.plugin.nanobanana.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.image.ImageRequest;
import io.grambot.api.image.ImageResult;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpLog;

/**
 * Gemini's {@code generateContent} for images: the request (the prompt and input images as parts, the image shape
 * in {@code generationConfig.imageConfig}) and the answer (image parts decoded, text parts joined, refusals and
 * answers without an image reported with Google's reason).
 *
 * <p>The image models make one image per call and refuse {@code candidateCount} above 1, so {@code count} images are
 * made with up to {@code count} calls, one after the other, until there are enough.
 */
final class GenerateContent {

    /** The most images one request may ask for: each costs a call. */
    static final int MAX_COUNT = 10;

    private static final int EXCERPT = 500;

    /** What each {@code promptFeedback.blockReason} means. */
    private static final Map<String, String> BLOCK_REASONS = Map.of(
            "SAFETY", "its safety filters blocked it",
            "OTHER", "it was blocked for an unspecified reason",
            "BLOCKLIST", "it contains terms on Google's blocklist",
            "PROHIBITED_CONTENT", "it asks for prohibited content",
            "IMAGE_SAFETY", "it is unsafe for image generation");

    /** What each {@code finishReason} of a candidate without an image means. */
    private static final Map<String, String> FINISH_REASONS = Map.ofEntries(
            Map.entry("STOP", "the model answered with text only"),
            Map.entry("MAX_TOKENS", "the answer reached the token limit"),
            Map.entry("SAFETY", "its safety filters blocked the answer"),
            Map.entry("RECITATION", "the answer may reproduce existing material"),
            Map.entry("LANGUAGE", "the prompt's language is not supported"),
            Map.entry("BLOCKLIST", "the answer contains terms on Google's blocklist"),
            Map.entry("PROHIBITED_CONTENT", "the answer may contain prohibited content"),
            Map.entry("SPII", "the answer may contain sensitive personal information"),
            Map.entry("IMAGE_SAFETY", "its safety filters blocked the image"),
            Map.entry("IMAGE_PROHIBITED_CONTENT", "the image would have prohibited content"),
            Map.entry("IMAGE_RECITATION", "the image may reproduce existing material"),
            Map.entry("IMAGE_OTHER", "image generation stopped for an unspecified reason"),
            Map.entry("NO_IMAGE", "the model was expected to make an image but made none"),
            Map.entry("OTHER", "it stopped for an unspecified reason"));

    /** Finish reasons after which the same request may well make an image when sent again. */
    private static final Set<String> WORTH_REPEATING = Set.of("NO_IMAGE", "IMAGE_OTHER", "OTHER", "MAX_TOKENS");

    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg",
            "image/webp", "webp", "image/gif", "gif", "image/heic", "heic", "image/heif", "heif");

    /** What one call made. */
    record Answer(List<Media> images, List<String> texts) {}

    private final GeminiConnection connection;
    private final ObjectMapper mapper;
    private final HttpLog log;

    GenerateContent(GeminiConnection connection, HttpLog log) {
        this.connection = connection;
        this.mapper = connection.http().mapper();
        this.log = log;
    }

    /**
     * Makes the images: up to {@code count} calls until there are {@code count} images (a call may make more than
     * one). When a later call fails, the images already made are returned, with the failure in the text.
     */
    ImageResult generate(ImageRequest request) throws PluginException {
        if (request.prompt().isBlank() && request.inputImages().isEmpty()) {
            throw new PluginException("expected a prompt that describes the image, found an empty prompt and no "
                    + "input images");
        }
        if (request.count() > MAX_COUNT) {
            throw new PluginException("at most " + MAX_COUNT + " images can be asked for at once (each is a call to "
                    + "Gemini), found count " + request.count());
        }
        ObjectNode body = body(request, shape(request));
        Optional<Secret> key = connection.apiKey();
        ApiRequest call = connection.post(path(connection.settings().model()), body, key);
        List<Media> images = new ArrayList<>();
        Set<String> texts = new LinkedHashSet<>(); // the model tends to say the same each time
        for (int attempt = 1; attempt <= request.count() && images.size() < request.count(); attempt++) {
            Answer answer;
            try {
                answer = answer(connection.call(call), call);
            } catch (PluginException e) {
                if (images.isEmpty()) {
                    throw e;
                }
                log.warn("made " + images.size() + " of " + request.count() + " images; call " + attempt
                        + " failed: " + e.getMessage());
                texts.add("(made " + images.size() + " of " + request.count() + " images: call " + attempt
                        + " failed: " + e.getMessage() + ")");
                break;
            }
            for (Media image : answer.images()) {
                images.add(new Media(image.mediaType(), image.data(), fileName(images.size() + 1, image.mediaType())));
            }
            texts.addAll(answer.texts());
        }
        return new ImageResult(images, String.join("\n\n", texts));
    }

    /** The path of a model's {@code generateContent} below the base URL. */
    static String path(String model) {
        return "v1beta/models/" + model + ":generateContent";
    }

    /**
     * The shape of the images: from the request's options ({@code aspectRatio}, {@code imageSize}), else from its
     * size, else the instance's settings.
     */
    ImageShape shape(ImageRequest request) throws PluginException {
        try {
            Object ratio = option(request.options(), "aspectRatio", "aspect_ratio");
            Object size = option(request.options(), "imageSize", "image_size");
            ImageShape options = new ImageShape(
                    ImageShape.aspectRatio(ratio == null ? null : String.valueOf(ratio), "option 'aspectRatio'"),
                    ImageShape.imageSize(size == null ? null : String.valueOf(size), "option 'imageSize'"));
            return options.or(ImageShape.ofSize(request.size())).or(connection.settings().shape());
        } catch (IllegalArgumentException e) {
            throw new PluginException("cannot make this image: " + e.getMessage());
        }
    }

    /** The request body: one user turn with the prompt and the input images, asking for text and image output. */
    ObjectNode body(ImageRequest request, ImageShape shape) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode content = body.putArray("contents").addObject().put("role", "user");
        ArrayNode parts = content.putArray("parts");
        if (!request.prompt().isBlank()) {
            parts.addObject().put("text", request.prompt());
        }
        for (Media image : request.inputImages()) {
            parts.addObject().putObject("inlineData").put("mimeType", mediaType(image.mediaType()))
                    .put("data", Base64.getEncoder().encodeToString(image.data()));
        }
        ObjectNode config = body.putObject("generationConfig");
        config.putArray("responseModalities").add("TEXT").add("IMAGE");
        if (shape.aspectRatio().isPresent() || shape.imageSize().isPresent()) {
            ObjectNode imageConfig = config.putObject("imageConfig");
            shape.aspectRatio().ifPresent(ratio -> imageConfig.put("aspectRatio", ratio));
            shape.imageSize().ifPresent(size -> imageConfig.put("imageSize", size));
        }
        return body;
    }

    /**
     * The images and texts of one answer, its thoughts left out (Gemini 3 Pro Image shows drafts it thinks with).
     *
     * @throws PluginException if the prompt was blocked, no candidate has an image (with the finish reason and what
     *         the model said instead), or the answer does not have the documented shape
     */
    Answer answer(JsonNode root, ApiRequest call) throws PluginException {
        if (root == null || !root.isObject()) {
            throw malformed("a JSON object", root, call);
        }
        JsonNode candidates = root.get("candidates");
        if (candidates != null && !candidates.isNull() && !candidates.isArray()) {
            throw malformed("'candidates' to be a list", root, call);
        }
        JsonNode feedback = field(root, "promptFeedback", "prompt_feedback");
        String blockReason = feedback == null ? null : Json.text(field(feedback, "blockReason", "block_reason"));
        if (candidates == null || candidates.isNull() || candidates.isEmpty()) {
            if (blockReason != null) {
                throw refused(blockReason, feedback);
            }
            throw new PluginException("Gemini made no image: its answer has no candidates and no reason ("
                    + Json.describe(root, call) + ")", 0, true, null, null);
        }
        List<Media> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Set<String> finishReasons = new LinkedHashSet<>();
        Set<String> finishMessages = new LinkedHashSet<>();
        for (JsonNode candidate : candidates) {
            String reason = Json.text(field(candidate, "finishReason", "finish_reason"));
            if (reason != null) {
                finishReasons.add(reason);
            }
            String finishMessage = Json.text(field(candidate, "finishMessage", "finish_message"));
            if (finishMessage != null && !finishMessage.isBlank()) {
                finishMessages.add(finishMessage.strip());
            }
            JsonNode content = candidate.get("content");
            JsonNode parts = content == null ? null : content.get("parts");
            if (parts == null || !parts.isArray()) {
                continue; // a blocked candidate has no content
            }
            for (JsonNode part : parts) {
                if (part.path("thought").asBoolean(false)) {
                    continue;
                }
                JsonNode inline = field(part, "inlineData", "inline_data");
                if (inline != null && inline.isObject()) {
                    Media image = image(inline, images.size() + 1, call);
                    if (image.mediaType().startsWith("image/")) {
                        images.add(image);
                    }
                }
                String text = Json.text(part.get("text"));
                if (text != null && !text.isBlank()) {
                    texts.add(text.strip());
                }
            }
        }
        if (images.isEmpty()) {
            throw noImage(finishReasons, finishMessages, texts);
        }
        JsonNode usage = field(root, "usageMetadata", "usage_metadata");
        log.debug(call + " made " + images.size() + (images.size() == 1 ? " image" : " images")
                + (usage == null ? "" : " (tokens: " + usage.path("promptTokenCount").asLong(0) + " in, "
                        + usage.path("candidatesTokenCount").asLong(0) + " out)"));
        return new Answer(images, texts.isEmpty() ? List.of() : List.of(String.join("\n", texts)));
    }

    /** The prompt was blocked before the model saw it. */
    private static PluginException refused(String reason, JsonNode feedback) {
        List<String> categories = new ArrayList<>();
        for (JsonNode rating : toList(field(feedback, "safetyRatings", "safety_ratings"))) {
            String probability = Json.text(rating.get("probability"));
            if (rating.path("blocked").asBoolean(false) || "HIGH".equals(probability) || "MEDIUM".equals(probability)) {
                String category = Json.text(rating.get("category"));
                if (category != null) {
                    categories.add(category.replaceFirst("^HARM_CATEGORY_", "") + (probability == null ? ""
                            : " " + probability));
                }
            }
        }
        String meaning = BLOCK_REASONS.getOrDefault(reason, "it was blocked");
        return new PluginException("Gemini refused the prompt (blockReason " + reason + "): " + meaning
                + (categories.isEmpty() ? "" : " (" + String.join(", ", categories) + ")")
                + "; change the prompt and try again", 0, false, null, null);
    }

    /** No candidate has an image: why, and what the model said instead (it may have asked a question). */
    private static PluginException noImage(Set<String> finishReasons, Set<String> finishMessages, List<String> texts) {
        String reasons = finishReasons.isEmpty() ? "no finishReason"
                : "finishReason " + String.join(", ", finishReasons);
        List<String> meanings = finishReasons.stream().map(FINISH_REASONS::get).filter(m -> m != null).toList();
        String said = String.join(" ", texts);
        boolean repeat = finishReasons.isEmpty() && said.isEmpty()
                || finishReasons.stream().anyMatch(WORTH_REPEATING::contains);
        return new PluginException("Gemini made no image (" + reasons + ")"
                + (meanings.isEmpty() ? "" : ": " + String.join("; ", meanings))
                + (finishMessages.isEmpty() ? "" : " (" + String.join(" ", finishMessages) + ")")
                + (said.isEmpty() ? "" : "; it said: \"" + excerpt(said) + "\""), 0, repeat, null, null);
    }

    /** An inline image, decoded; its type from {@code mimeType}, or from its first bytes when the answer has none. */
    private static Media image(JsonNode inline, int position, ApiRequest call) throws PluginException {
        String data = Json.text(inline.get("data"));
        if (data == null) {
            throw malformed("base64 'data' in inline image #" + position, inline, call);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException notPlain) {
            try { // line breaks, or the URL-safe alphabet
                bytes = Base64.getUrlDecoder().decode(data.replaceAll("\\s+", "").replace('+', '-').replace('/', '_'));
            } catch (IllegalArgumentException notBase64) {
                throw new PluginException("expected base64 data in inline image #" + position + " of the answer of "
                        + call + ", found " + data.length() + " characters that are not base64 (" + notPlain
                                .getMessage() + ")");
            }
        }
        String type = Json.text(field(inline, "mimeType", "mime_type"));
        return new Media(type == null || type.isBlank() ? sniff(bytes) : type.strip().toLowerCase(Locale.ROOT), bytes);
    }

    private static String sniff(byte[] bytes) {
        if (bytes.length >= 4 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "image/png";
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (bytes.length >= 12 && new String(bytes, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                && new String(bytes, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
            return "image/webp";
        }
        return "application/octet-stream";
    }

    private static String fileName(int position, String mediaType) {
        return "image-" + position + "." + EXTENSIONS.getOrDefault(mediaType, "bin");
    }

    /** The media type Gemini expects for an input image ({@code image/jpg} is not one). */
    private static String mediaType(String type) {
        String normalized = type.strip().toLowerCase(Locale.ROOT);
        return normalized.equals("image/jpg") ? "image/jpeg" : normalized;
    }

    private static Object option(Map<String, Object> options, String camel, String snake) {
        Object value = options.get(camel);
        return value != null ? value : options.get(snake);
    }

    /** A field in the API's camelCase, or in the snake_case some proxies and SDK dumps use. */
    private static JsonNode field(JsonNode node, String camel, String snake) {
        JsonNode value = node.get(camel);
        return value != null ? value : node.get(snake);
    }

    private static List<JsonNode> toList(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(items::add);
        }
        return items;
    }

    private static PluginException malformed(String expected, JsonNode found, ApiRequest call) {
        return new PluginException("expected " + expected + " in the answer of " + call + ", found "
                + Json.describe(found, call));
    }

    private static String excerpt(String text) {
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }
}
