package io.grambot.plugin.gpt.image.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.image.ImageResult;
import io.grambot.http.ApiRequest;
import io.grambot.http.ApiResponse;
import io.grambot.http.HttpException;
import io.grambot.http.Multipart;
import io.grambot.http.ProviderError;
import io.grambot.http.Redactor;

/**
 * OpenAI's Images API: {@code POST /images/generations} (JSON) to draw from a prompt, {@code POST /images/edits}
 * ({@code multipart/form-data}, the input images as {@code image[]} files) to edit, and the answer's
 * {@code data[].b64_json} decoded into images whose media type their bytes say.
 */
final class Images {

    static final String GENERATIONS = "images/generations";
    static final String EDITS = "images/edits";

    private final GptImageConnection connection;
    private final ObjectMapper mapper;

    Images(GptImageConnection connection) {
        this.connection = connection;
        this.mapper = connection.http().mapper();
    }

    /** Makes the images {@code call} asks for. */
    ImageResult generate(ImageCall call) throws PluginException {
        Optional<Secret> key = connection.apiKey();
        ApiRequest request = call.edit() ? connection.post(EDITS, form(call), key)
                : connection.post(GENERATIONS, body(call), key);
        return answer(connection.json(request), request, call);
    }

    /** The JSON body of a generation. */
    ObjectNode body(ImageCall call) {
        GptImageSettings settings = connection.settings();
        ObjectNode body = mapper.createObjectNode();
        body.put("model", settings.model());
        body.put("prompt", call.prompt());
        body.put("n", call.count());
        putIfSet(body, "size", call.size());
        putIfSet(body, "quality", call.quality());
        if (call.outputFormat() != null) {
            body.put("output_format", call.outputFormat().setting);
        }
        putIfSet(body, "background", call.background());
        putIfSet(body, "moderation", call.moderation());
        if (settings.family() == GptImageSettings.Family.DALL_E_3) {
            body.put("response_format", "b64_json"); // it answers with a link otherwise; GPT image models refuse it
        }
        return body;
    }

    /** The form of an edit: the fields, then each input image as an {@code image[]} file, then the mask. */
    Multipart form(ImageCall call) {
        Multipart.Builder form = Multipart.builder().field("model", connection.settings().model())
                .field("prompt", call.prompt()).field("n", Integer.toString(call.count()));
        if (call.size() != null) {
            form.field("size", call.size());
        }
        if (call.quality() != null) {
            form.field("quality", call.quality());
        }
        if (call.background() != null) {
            form.field("background", call.background());
        }
        if (call.outputFormat() != null) {
            form.field("output_format", call.outputFormat().setting);
        }
        for (Media image : call.images()) {
            form.file("image[]", image.fileName(), image.mediaType(), image.data());
        }
        if (call.mask() != null) {
            form.file("mask", call.mask().fileName(), call.mask().mediaType(), call.mask().data());
        }
        return form.build();
    }

    /** The images and revised prompts of an answer {@code {"created","data":[{"b64_json","revised_prompt"}],...}}. */
    ImageResult answer(JsonNode root, ApiRequest request, ImageCall call) throws PluginException {
        failIfError(root, request);
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            throw malformed("'data' to be a list of images", root, request);
        }
        if (data.isEmpty()) {
            throw new PluginException(request + " answered without images (its 'data' is empty)");
        }
        ImageFormat announced = announced(root, call);
        List<Media> images = new ArrayList<>();
        Set<String> revised = new LinkedHashSet<>();
        for (JsonNode entry : data) {
            int number = images.size() + 1;
            String what = "image #" + number + " of the answer of " + request;
            String base64 = Json.text(entry.get("b64_json"));
            String url = Json.text(entry.get("url"));
            byte[] bytes;
            if (base64 != null) {
                bytes = decode(base64, what);
            } else if (url != null) {
                bytes = download(url, what);
            } else {
                throw malformed("'b64_json' or 'url' in image #" + number, entry, request);
            }
            if (bytes.length == 0) {
                throw new PluginException(what + " is empty");
            }
            ImageFormat format = ImageFormat.sniff(bytes).orElse(announced);
            images.add(new Media(format.mediaType, bytes, "image-" + number + "." + format.extension));
            String prompt = Json.text(entry.get("revised_prompt"));
            if (prompt != null && !prompt.isBlank()) {
                revised.add(prompt.strip());
            }
        }
        return new ImageResult(images, String.join("\n\n", revised));
    }

    /** The format the answer says its images have, else the one asked for, else PNG. */
    private static ImageFormat announced(JsonNode root, ImageCall call) {
        String said = Json.text(root.get("output_format"));
        if (said != null) {
            try {
                return ImageFormat.of(said, "output_format");
            } catch (IllegalArgumentException unknown) {
                // the bytes decide, or what was asked for
            }
        }
        return call.outputFormat() != null ? call.outputFormat() : ImageFormat.PNG;
    }

    private static byte[] decode(String base64, String what) throws PluginException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            if (base64.chars().anyMatch(Character::isWhitespace)) { // some servers wrap base64 in lines
                try {
                    return Base64.getDecoder().decode(base64.replaceAll("\\s+", ""));
                } catch (IllegalArgumentException alsoNot) {
                    // reported below
                }
            }
            throw new PluginException(what + " is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private byte[] download(String url, String what) throws PluginException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new PluginException(what + " links to something that is not a URL");
        }
        ApiResponse response = connection.download(uri, what);
        byte[] bytes = response.body();
        if (ImageFormat.sniff(bytes).isEmpty() && ImageFormat.ofMediaType(response.contentType()).isEmpty()) {
            throw new PluginException(what + " links to " + (response.contentType().isEmpty() ? "an answer without "
                    + "content type" : response.contentType()) + " (" + bytes.length + " bytes), not to a PNG, JPEG "
                    + "or WebP image");
        }
        return bytes;
    }

    /** An answer with status 200 that carries {@code {"error":...}} (seen from compatible servers). */
    private static void failIfError(JsonNode root, ApiRequest request) throws PluginException {
        if (!root.has("error") || root.path("error").isNull()) {
            return;
        }
        Redactor redactor = Redactor.of(request.secrets());
        ProviderError error = ProviderError.Parser.STANDARD.parse(root)
                .map(e -> new ProviderError(redactor.redact(e.message()), redactor.redact(e.code())))
                .orElse(new ProviderError(Json.describe(root.get("error"), request), null));
        throw GptImageConnection.explain(new HttpException(request + " answered with an error: " + error.message(), 0,
                false, null, null, error), request);
    }

    private static PluginException malformed(String expected, JsonNode found, ApiRequest request) {
        return new PluginException("expected " + expected + " in the answer of " + request + ", found "
                + Json.describe(found, request));
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
