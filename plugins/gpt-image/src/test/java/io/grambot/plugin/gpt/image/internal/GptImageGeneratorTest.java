package io.grambot.plugin.gpt.image.internal;

import static io.grambot.plugin.gpt.image.internal.FakeOpenAi.answer;
import static io.grambot.plugin.gpt.image.internal.FakeOpenAi.bytes;
import static io.grambot.plugin.gpt.image.internal.FakeOpenAi.drop;
import static io.grambot.plugin.gpt.image.internal.FakeOpenAi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.Media;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.image.ImageRequest;
import io.grambot.api.image.ImageResult;
import io.grambot.http.HttpException;
import io.grambot.http.HttpLog;

class GptImageGeneratorTest {

    private static final String KEY = "sk-proj-TESTKEY0123456789abcdefghijklmnop";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final byte[] PNG = image(ImageFormat.PNG, "a red apple");
    private static final byte[] JPEG = image(ImageFormat.JPEG, "a green pear");
    private static final byte[] WEBP = image(ImageFormat.WEBP, "a blue plum");

    private final FakeOpenAi server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();

    GptImageGeneratorTest() throws IOException {
        server = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(logLines).noneMatch(line -> line.contains(KEY));
    }

    private GptImageSettings settings(String model, String size, String quality, ImageFormat format,
            String background, int maxRetries) {
        return new GptImageSettings(server.baseUrl() + "/", "org-42", model, size, quality, format, background,
                "auto", 4, Duration.ofSeconds(10), maxRetries);
    }

    private GptImageSettings settings() {
        return settings("gpt-image-1", "auto", "auto", ImageFormat.PNG, "auto", 2);
    }

    private GptImageGenerator generator() {
        return generator(settings(), Optional.of(Secret.of(KEY)));
    }

    private GptImageGenerator generator(GptImageSettings settings, Optional<Secret> key) {
        AtomicReference<Optional<Secret>> held = new AtomicReference<>(key);
        return generator(settings, held);
    }

    private GptImageGenerator generator(GptImageSettings settings, AtomicReference<Optional<Secret>> key) {
        HttpLog log = new HttpLog() {
            @Override
            public void debug(String message) {
                logLines.add(message);
            }

            @Override
            public void warn(String message) {
                logLines.add(message);
            }
        };
        return new GptImageGenerator("main", settings,
                name -> name.equals(GptImageConnection.API_KEY) ? key.get() : Optional.empty(), log, sleeps::add);
    }

    /** OpenAI's documented answer of a generation with these images. */
    private static String imagesAnswer(String outputFormat, byte[]... images) {
        StringBuilder data = new StringBuilder();
        for (byte[] image : images) {
            data.append(data.length() == 0 ? "" : ",").append("{\"b64_json\":\"")
                    .append(Base64.getEncoder().encodeToString(image)).append("\"}");
        }
        return "{\"created\":1713833628,\"background\":\"opaque\",\"data\":[" + data + "],\"output_format\":\""
                + outputFormat + "\",\"quality\":\"high\",\"size\":\"1024x1024\",\"usage\":{\"total_tokens\":100,"
                + "\"input_tokens\":50,\"output_tokens\":50,\"input_tokens_details\":{\"text_tokens\":10,"
                + "\"image_tokens\":40}}}";
    }

    private static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    @Test
    void thePluginIdMapsToTheFactoryPid() throws Exception {
        assertThat(PluginConstants.factoryPid(GptImageGenerator.PLUGIN_ID)).isEqualTo(GptImageGenerator.FACTORY_PID);
        server.then(json(200, "{\"id\":\"gpt-image-1\",\"object\":\"model\"}"));
        GptImageGenerator generator = generator();
        assertThat(generator.id()).isEqualTo("main");
        assertThat(generator.testConnection().ok()).isTrue();
    }

    @Test
    void theConfigDefaultsAreTheDocumentedOnes() {
        GptImageGenerator.Config defaults = (GptImageGenerator.Config) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {GptImageGenerator.Config.class},
                (proxy, method, args) -> method.getDefaultValue());

        assertThat(defaults.enabled()).isTrue();
        assertThat(GptImageSettings.of(defaults)).isEqualTo(new GptImageSettings("https://api.openai.com/v1", "",
                "gpt-image-1", "auto", "auto", ImageFormat.PNG, "auto", "auto", 4, Duration.ofSeconds(300), 2));
    }

    @Test
    void generatesWithTheDocumentedRequestAndDecodesTheImage() throws Exception {
        server.then(json(200, "{\"created\":1713833628,\"data\":[{\"b64_json\":\""
                + Base64.getEncoder().encodeToString(PNG) + "\",\"revised_prompt\":\"A watercolour of a red apple on "
                + "a wooden table\"}],\"usage\":{\"total_tokens\":100,\"input_tokens\":50,\"output_tokens\":50},"
                + "\"output_format\":\"png\"}"));

        ImageResult result = generator().generate(ImageRequest.of("a red apple"));

        assertThat(result.images()).containsExactly(new Media("image/png", PNG, "image-1.png"));
        assertThat(result.text()).isEqualTo("A watercolour of a red apple on a wooden table");
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/images/generations");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-42");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-image-1","prompt":"a red apple","n":1,"size":"auto","quality":"auto",
                 "output_format":"png","background":"auto","moderation":"auto"}"""));
    }

    @Test
    void theRequestsSizeCountAndOptionsWinOverTheSettings() throws Exception {
        server.then(json(200, imagesAnswer("webp", WEBP, WEBP, WEBP)));

        ImageResult result = generator().generate(new ImageRequest("three plums", List.of(), "1536x1024", 3,
                Map.of("quality", "High", "background", "transparent", "outputFormat", "webp", "moderation", "low")));

        assertThat(result.images()).extracting(Media::mediaType).containsExactly("image/webp", "image/webp",
                "image/webp");
        assertThat(result.images()).extracting(Media::fileName).containsExactly("image-1.webp", "image-2.webp",
                "image-3.webp");
        assertThat(result.images().get(2).data()).isEqualTo(WEBP);
        assertThat(result.text()).isEmpty();
        assertThat(server.last().json()).isEqualTo(parse("""
                {"model":"gpt-image-1","prompt":"three plums","n":3,"size":"1536x1024","quality":"high",
                 "output_format":"webp","background":"transparent","moderation":"low"}"""));
    }

    @Test
    void theMediaTypeFollowsTheBytes() throws Exception {
        byte[] unknown = "not a known image format".getBytes(StandardCharsets.UTF_8);
        server.then(json(200, imagesAnswer("png", JPEG))).then(json(200, imagesAnswer("webp", unknown)))
                .then(json(200, "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(unknown)
                        + "\"}]}"));
        GptImageGenerator generator = generator(settings("gpt-image-1", "auto", "auto", ImageFormat.JPEG, "auto", 2),
                Optional.of(Secret.of(KEY)));

        assertThat(generator.generate(ImageRequest.of("a pear")).images().get(0).mediaType()).isEqualTo("image/jpeg");
        assertThat(generator.generate(ImageRequest.of("a pear")).images().get(0))
                .isEqualTo(new Media("image/webp", unknown, "image-1.webp")); // as the answer says
        assertThat(generator.generate(ImageRequest.of("a pear")).images().get(0))
                .isEqualTo(new Media("image/jpeg", unknown, "image-1.jpg")); // as asked
    }

    @Test
    void distinctRevisedPromptsAreJoined() throws Exception {
        String png = Base64.getEncoder().encodeToString(PNG);
        server.then(json(200, "{\"data\":[{\"b64_json\":\"" + png + "\",\"revised_prompt\":\"A cat\"},"
                + "{\"b64_json\":\"" + png + "\",\"revised_prompt\":\"A cat\"},{\"b64_json\":\"" + png + "\","
                + "\"revised_prompt\":\"A cat, sleeping\"},{\"b64_json\":\"" + png + "\",\"revised_prompt\":null}]}"));

        ImageResult result = generator().generate(new ImageRequest("a cat", null, null, 4, null));

        assertThat(result.images()).hasSize(4);
        assertThat(result.text()).isEqualTo("A cat\n\nA cat, sleeping");
    }

    @Test
    void dallE3AsksForBase64AndOneImageInItsQualities() throws Exception {
        server.then(json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(PNG)
                + "\",\"revised_prompt\":\"A majestic lighthouse at dusk\"}]}"))
                .then(json(200, imagesAnswer("png", PNG))).then(json(200, imagesAnswer("png", PNG)));
        GptImageGenerator generator = generator(settings("dall-e-3", "auto", "high", ImageFormat.PNG, "auto", 2),
                Optional.of(Secret.of(KEY)));

        ImageResult result = generator.generate(new ImageRequest("a lighthouse", null, "1792x1024", 1, null));
        generator.generate(new ImageRequest("a lighthouse", null, null, 1, Map.of("quality", "medium")));
        generator.generate(new ImageRequest("a lighthouse", null, "1024x1792", 1, Map.of("quality", "auto")));

        assertThat(result.images()).containsExactly(new Media("image/png", PNG, "image-1.png"));
        assertThat(result.text()).isEqualTo("A majestic lighthouse at dusk");
        assertThat(server.received().get(0).json()).isEqualTo(parse("""
                {"model":"dall-e-3","prompt":"a lighthouse","n":1,"size":"1792x1024","quality":"hd",
                 "response_format":"b64_json"}"""));
        assertThat(server.received().get(1).json()).isEqualTo(parse("""
                {"model":"dall-e-3","prompt":"a lighthouse","n":1,"quality":"standard","response_format":"b64_json"}"""));
        assertThat(server.received().get(2).json()).isEqualTo(parse("""
                {"model":"dall-e-3","prompt":"a lighthouse","n":1,"size":"1024x1792","response_format":"b64_json"}"""));
    }

    @Test
    void dallE3RefusesWhatItCannotDoBeforeCalling() {
        GptImageGenerator generator = generator(settings("dall-e-3", "auto", "auto", ImageFormat.PNG, "auto", 2),
                Optional.of(Secret.of(KEY)));

        assertThatThrownBy(() -> generator.generate(new ImageRequest("two cats", null, null, 2, null)))
                .isInstanceOf(PluginException.class)
                .hasMessage("model 'dall-e-3' makes one image per request (n=1), asked for 2");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a hat on it", List.of(new Media("image/png",
                PNG)), null, 1, null))).hasMessage("model 'dall-e-3' cannot edit images: choose a GPT image model "
                        + "such as 'gpt-image-1' for requests with input images");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("background", "transparent"))))
                .hasMessage("model 'dall-e-3' takes no option 'background' (GPT image models only)");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, "1536x1024", 1, null)))
                .hasMessage("the size (model 'dall-e-3') must be one of '1024x1024', '1792x1024', '1024x1792', "
                        + "'auto', was '1536x1024'");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aLinkedImageIsDownloadedWithoutTheKey() throws Exception {
        String link = server.origin() + "/private/img-abc.png?st=2025-01-01&sig=SIGNATURE0123456789";
        server.then(json(200, "{\"created\":1,\"data\":[{\"url\":\"" + link + "\",\"revised_prompt\":\"An owl\"}]}"))
                .then(bytes(200, Map.of("Content-Type", "image/png"), PNG));

        ImageResult result = generator().generate(ImageRequest.of("an owl"));

        assertThat(result.images()).containsExactly(new Media("image/png", PNG, "image-1.png"));
        assertThat(result.text()).isEqualTo("An owl");
        FakeOpenAi.Received download = server.last();
        assertThat(download.method()).isEqualTo("GET");
        assertThat(download.path()).isEqualTo("/private/img-abc.png?st=2025-01-01&sig=SIGNATURE0123456789");
        assertThat(download.header("Authorization")).isNull();
        assertThat(download.header("OpenAI-Organization")).isNull();
        assertThat(download.header("Accept")).isEqualTo("image/*");
        assertThat(logLines).anyMatch(line -> line.startsWith("GET " + server.origin() + "/private/img-abc.png?******"))
                .noneMatch(line -> line.contains("SIGNATURE0123456789"));
    }

    @Test
    void aLinkToSomethingElseIsExplained() {
        server.then(json(200, "{\"data\":[{\"url\":\"" + server.origin() + "/expired\"}]}"))
                .then(answer(200, Map.of("Content-Type", "text/html"), "<html>link expired</html>"))
                .then(json(200, "{\"data\":[{\"url\":\"file:///etc/passwd\"}]}"));
        GptImageGenerator generator = generator();

        assertThatThrownBy(() -> generator.generate(ImageRequest.of("an owl"))).isInstanceOf(PluginException.class)
                .hasMessage("image #1 of the answer of POST " + server.baseUrl() + "/images/generations links to "
                        + "text/html (25 bytes), not to a PNG, JPEG or WebP image");
        assertThatThrownBy(() -> generator.generate(ImageRequest.of("an owl"))).isInstanceOf(PluginException.class)
                .hasMessage("image #1 of the answer of POST " + server.baseUrl() + "/images/generations links to "
                        + "'file:…', not to an http or https URL");
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void editsGoAsMultipartWithEveryImageIntact() throws Exception {
        // bytes that look like form syntax and every byte value: the upload must carry them unchanged
        ByteArrayOutputStream tricky = new ByteArrayOutputStream();
        tricky.writeBytes(PNG);
        tricky.writeBytes("\r\n--GrambotFormBoundary\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (int b = 0; b < 256; b++) {
            tricky.write(b);
        }
        byte[] first = tricky.toByteArray();
        byte[] mask = image(ImageFormat.PNG, "mask with alpha");
        server.then(json(200, imagesAnswer("jpeg", JPEG, JPEG)));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("mask", new Media("image/png", mask, "mask.png"));
        options.put("output_format", "jpeg");
        options.put("quality", "medium");

        ImageResult result = generator().generate(new ImageRequest("put both in a gift basket",
                List.of(new Media("image/png", first, "cat \"1\".png"),
                        new Media("application/octet-stream", JPEG, null)), "1024x1024", 2, options));

        assertThat(result.images()).containsExactly(new Media("image/jpeg", JPEG, "image-1.jpg"),
                new Media("image/jpeg", JPEG, "image-2.jpg"));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/images/edits");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        String contentType = sent.header("Content-Type");
        assertThat(contentType).matches("multipart/form-data; boundary=[0-9A-Za-z'()+_,./:=?-]{1,70}");
        List<Part> parts = Part.parse(contentType, sent.body());
        assertThat(parts).extracting(Part::name).containsExactly("model", "prompt", "n", "size", "quality",
                "background", "output_format", "image[]", "image[]", "mask");
        assertThat(parts.subList(0, 7)).allMatch(part -> part.fileName() == null && part.contentType() == null)
                .extracting(Part::text).containsExactly("gpt-image-1", "put both in a gift basket", "2", "1024x1024",
                        "medium", "auto", "jpeg");
        assertThat(parts.get(7).fileName()).isEqualTo("cat %221%22.png");
        assertThat(parts.get(7).contentType()).isEqualTo("image/png");
        assertThat(parts.get(7).data()).isEqualTo(first);
        assertThat(parts.get(8).fileName()).isEqualTo("image-2.jpg");
        assertThat(parts.get(8).contentType()).isEqualTo("image/jpeg"); // by its bytes, not the declared type
        assertThat(parts.get(8).data()).isEqualTo(JPEG);
        assertThat(parts.get(9).fileName()).isEqualTo("mask.png");
        assertThat(parts.get(9).contentType()).isEqualTo("image/png");
        assertThat(parts.get(9).data()).isEqualTo(mask);
    }

    @Test
    void anEditThatIsNotPossibleIsRefusedBeforeCalling() {
        GptImageGenerator generator = generator();
        List<Media> pdf = List.of(new Media("application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        List<Media> png = List.of(new Media("image/png", PNG));

        assertThatThrownBy(() -> generator.generate(new ImageRequest("edit", pdf, null, 1, null)))
                .hasMessage("input image #1 must be a PNG, JPEG or WebP image, was application/pdf (8 bytes)");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("edit", png, null, 1,
                Map.of("mask", new Media("image/jpeg", JPEG))))).hasMessage("option 'mask' must be a PNG with an "
                        + "alpha channel, was image/jpeg (" + JPEG.length + " bytes)");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("edit", png, null, 1, Map.of("mask", "m.png"))))
                .hasMessage("option 'mask' must be an image (Media), a PNG with an alpha channel, was String");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("draw", null, null, 1,
                Map.of("mask", new Media("image/png", PNG))))).hasMessage("option 'mask' needs input images: its "
                        + "transparent pixels mark where the first one is edited");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("edit", png, null, 1,
                Map.of("moderation", "low")))).hasMessage("option 'moderation' applies to generations only: "
                        + "OpenAI's edits endpoint takes none");
        List<Media> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(new Media("image/png", PNG));
        }
        assertThatThrownBy(() -> generator.generate(new ImageRequest("edit", many, null, 1, null)))
                .hasMessage("an edit takes at most 16 input images, was 17");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aHugeImageIsDecodedWhole() throws Exception {
        byte[] huge = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(huge);
        System.arraycopy(PNG, 0, huge, 0, 8);
        server.then(json(200, imagesAnswer("png", huge)));

        ImageResult result = generator().generate(ImageRequest.of("a very detailed map"));

        Media image = result.images().get(0);
        assertThat(image.mediaType()).isEqualTo("image/png");
        assertThat(image.size()).isEqualTo(huge.length);
        assertThat(image.data()).isEqualTo(huge);
    }

    @Test
    void aSafetyBlockIsARefusalWithOpenAisReason() {
        server.then(json(400, "{\"error\":{\"message\":\"Your request was rejected as a result of our safety "
                + "system. Your request may contain content that is not allowed by our safety system.\","
                + "\"type\":\"image_generation_user_error\",\"param\":null,\"code\":\"moderation_blocked\"}}"))
                .then(json(400, "{\"error\":{\"code\":\"content_policy_violation\",\"message\":\"Your request was "
                        + "rejected as a result of our safety system. Image descriptions generated from your prompt "
                        + "may contain text that is not allowed by our safety system.\",\"param\":null,"
                        + "\"type\":\"invalid_request_error\"}}"));

        HttpException blocked = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("something not allowed")));
        HttpException policy = catchThrowableOfType(HttpException.class, () -> generator(settings("dall-e-3", "auto",
                "auto", ImageFormat.PNG, "auto", 2), Optional.of(Secret.of(KEY)))
                .generate(ImageRequest.of("something not allowed")));

        assertThat(blocked).hasMessage("OpenAI's safety system refused the request (moderation_blocked): Your "
                + "request was rejected as a result of our safety system. Your request may contain content that is "
                + "not allowed by our safety system. [POST " + server.baseUrl() + "/images/generations answered 400]");
        assertThat(blocked.status()).isEqualTo(400);
        assertThat(blocked.retryable()).isFalse();
        assertThat(blocked.providerCode()).contains("moderation_blocked");
        assertThat(blocked.providerMessage().orElseThrow()).startsWith("Your request was rejected");
        assertThat(policy.getMessage()).startsWith("OpenAI's safety system refused the request "
                + "(content_policy_violation): Your request was rejected as a result of our safety system. Image "
                + "descriptions");
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void unauthorizedSaysWhatToCheckWithoutTheKey() {
        server.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". You can find your "
                + "API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("a red apple")));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/images/generations answered 401 Unauthorized: "
                + "Incorrect API key provided: ******. You can find your API key at "
                + "https://platform.openai.com/account/api-keys. (check the instance's secret 'apiKey': an OpenAI API "
                + "key from platform.openai.com/api-keys)");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.providerCode()).contains("invalid_api_key");
        assertThat(e.providerMessage().orElseThrow()).doesNotContain(KEY);
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void rateLimitedWaitsAsToldThenSucceeds() throws Exception {
        Map<String, String> headers = Map.of("Content-Type", "application/json", "retry-after-ms", "1500",
                "Retry-After", "2", "x-ratelimit-limit-requests", "5", "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "12s");
        server.then(answer(429, headers, "{\"error\":{\"message\":\"Rate limit reached for gpt-image-1 in "
                + "organization org-42 on images per minute (IPM): Limit 5, Used 5, Requested 1.\",\"type\":"
                + "\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"))
                .then(json(200, imagesAnswer("png", PNG)));

        ImageResult result = generator().generate(ImageRequest.of("a red apple"));

        assertThat(result.images()).hasSize(1);
        assertThat(sleeps).containsExactly(Duration.ofMillis(1500));
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).json()).isEqualTo(server.received().get(0).json());
        assertThat(logLines).anyMatch(line -> line.contains("answered 429 Too Many Requests: Rate limit reached")
                && line.endsWith("retrying in 1.5 s (attempt 2 of 3)"));
    }

    @Test
    void serverErrorsAreRetriedUntilMaxRetriesThenReported() {
        for (int i = 0; i < 3; i++) {
            // a gateway that echoes the request's credential: it must not reach a log line or the error
            server.then(json(500, "{\"error\":{\"message\":\"The server had an error while processing your request "
                    + "(Bearer " + KEY + ").\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        }

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("a red apple")));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/images/generations answered 500 Internal Server "
                + "Error: The server had an error while processing your request (******). (gave up after 3 "
                + "attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(3);
        assertThat(sleeps).hasSize(2).allMatch(wait -> wait.compareTo(Duration.ofSeconds(1)) <= 0);
        assertThat(logLines).filteredOn(line -> line.contains("answered 500")).hasSize(2)
                .allMatch(line -> line.contains("request (******)"));
    }

    @Test
    void aServerErrorThenAnAnswerSucceeds() throws Exception {
        server.then(json(502, "")).then(json(200, imagesAnswer("png", PNG)));

        assertThat(generator().generate(ImageRequest.of("a red apple")).images()).hasSize(1);
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void malformedJsonIsExplained() {
        server.then(json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"iVBOR"));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("a red apple")));

        assertThat(e).hasMessage("expected a JSON answer from POST " + server.baseUrl() + "/images/generations, "
                + "found application/json (39 bytes): {\"created\":1,\"data\":[{\"b64_json\":\"iVBOR (Unexpected end-of-input in VALUE_STRING)");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aDroppedConnectionIsRetriedAndThenReported() throws Exception {
        server.then(drop()).then(json(200, imagesAnswer("png", PNG)));

        assertThat(generator().generate(ImageRequest.of("a red apple")).images()).hasSize(1);
        assertThat(server.received()).hasSize(2);

        server.then(drop()).then(drop()).then(drop());
        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("a red apple")));

        assertThat(e.getMessage()).startsWith("POST " + server.baseUrl() + "/images/generations failed: the "
                + "connection broke before a complete answer").endsWith("(gave up after 3 attempts)")
                .doesNotContain(KEY);
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(5);
    }

    @Test
    void anAnswerWithoutImagesIsExplained() {
        server.then(json(200, "{\"created\":1,\"data\":[],\"usage\":{\"total_tokens\":0}}"))
                .then(json(200, "{\"created\":1,\"images\":[]}"))
                .then(json(200, "{\"data\":[{\"revised_prompt\":\"A cat\"}]}"))
                .then(json(200, "{\"data\":[{\"b64_json\":\"iVBOR%%%w0KGgo=\"}]}"))
                .then(json(200, "{\"data\":[{\"b64_json\":\"\"}]}"));
        GptImageGenerator generator = generator();
        String call = "POST " + server.baseUrl() + "/images/generations";

        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat"))).isInstanceOf(PluginException.class)
                .hasMessage(call + " answered without images (its 'data' is empty)");
        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat")))
                .hasMessage("expected 'data' to be a list of images in the answer of " + call + ", found an object "
                        + "with fields [created, images]");
        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat")))
                .hasMessage("expected 'b64_json' or 'url' in image #1 in the answer of " + call + ", found an object "
                        + "with fields [revised_prompt]");
        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat")))
                .hasMessageStartingWith("image #1 of the answer of " + call + " is not valid base64 (");
        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat")))
                .hasMessage("image #1 of the answer of " + call + " is empty");
    }

    @Test
    void base64InLinesIsAccepted() throws Exception {
        server.then(json(200, "{\"data\":[{\"b64_json\":\"" + Base64.getMimeEncoder(8, new byte[] {'\r', '\n'})
                .encodeToString(PNG).replace("\r\n", "\\r\\n") + "\"}]}"));

        assertThat(generator().generate(ImageRequest.of("a cat")).images().get(0).data()).isEqualTo(PNG);
    }

    @Test
    void anErrorWithStatus200IsNotAnAnswer() {
        server.then(json(200, "{\"error\":{\"message\":\"model 'sdxl' not found\",\"type\":\"not_found\"}}"))
                .then(json(200, "{\"error\":{\"message\":\"Your request was rejected as a result of our safety "
                        + "system.\",\"code\":\"moderation_blocked\"}}"));
        GptImageGenerator generator = generator();

        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat"))).isInstanceOf(HttpException.class)
                .hasMessage("POST " + server.baseUrl() + "/images/generations answered with an error: model 'sdxl' "
                        + "not found");
        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat"))).isInstanceOf(HttpException.class)
                .hasMessage("OpenAI's safety system refused the request (moderation_blocked): Your request was "
                        + "rejected as a result of our safety system. [POST " + server.baseUrl()
                        + "/images/generations answered with an error]");
    }

    @Test
    void connectionTestAsksForTheModel() {
        server.then(json(200, "{\"id\":\"gpt-image-1\",\"object\":\"model\",\"created\":1745517030,"
                + "\"owned_by\":\"system\"}"));

        ConnectionTestResult result = generator().testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the API key: "
                + "the model 'gpt-image-1' is available (owned by system)"));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/v1/models/gpt-image-1");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-42");
        assertThat(sent.body()).isEmpty();
    }

    @Test
    void connectionTestReportsABadKeyAnUnknownModelAndAnOddAnswer() {
        server.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"))
                .then(json(404, "{\"error\":{\"message\":\"The model 'gpt-image-9' does not exist\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}"))
                .then(json(200, "{\"object\":\"list\",\"data\":[]}"));

        ConnectionTestResult badKey = generator().testConnection();
        ConnectionTestResult unknown = generator(settings("gpt-image-9", "auto", "auto", ImageFormat.PNG, "auto", 2),
                Optional.of(Secret.of(KEY))).testConnection();
        ConnectionTestResult odd = generator().testConnection();

        assertThat(badKey).isEqualTo(ConnectionTestResult.failed("GET " + server.baseUrl() + "/models/gpt-image-1 "
                + "answered 401 Unauthorized: Incorrect API key provided: ****** (check the instance's secret "
                + "'apiKey': an OpenAI API key from platform.openai.com/api-keys)"));
        assertThat(unknown).isEqualTo(ConnectionTestResult.failed("GET " + server.baseUrl() + "/models/gpt-image-9 "
                + "answered 404 Not Found: The model 'gpt-image-9' does not exist"));
        assertThat(odd).isEqualTo(ConnectionTestResult.failed("expected {\"id\":...} from GET " + server.baseUrl()
                + "/models/gpt-image-1, found an object with fields [object, data]"));
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void withoutAKeyNothingIsSentToOpenAi() {
        GptImageSettings openAi = new GptImageSettings("https://api.openai.com/v1", "", "gpt-image-1", "auto", "auto",
                ImageFormat.PNG, "auto", "auto", 4, Duration.ofSeconds(10), 0);
        GptImageGenerator generator = generator(openAi, Optional.of(Secret.of("  ")));

        assertThatThrownBy(() -> generator.generate(ImageRequest.of("a cat"))).isInstanceOf(PluginException.class)
                .hasMessage("the instance has no API key: put an OpenAI API key (from platform.openai.com/api-keys) "
                        + "into its secret 'apiKey'");
        assertThat(generator.testConnection()).isEqualTo(ConnectionTestResult.failed("the instance has no API key: "
                + "put an OpenAI API key (from platform.openai.com/api-keys) into its secret 'apiKey'"));
    }

    @Test
    void aCompatibleServerWithoutKeyGetsNoAuthorizationAndTheKeyIsReadForEveryCall() throws Exception {
        server.then(json(200, imagesAnswer("png", PNG))).then(json(200, imagesAnswer("png", PNG)));
        AtomicReference<Optional<Secret>> key = new AtomicReference<>(Optional.empty());
        GptImageGenerator generator = generator(settings(), key);

        generator.generate(ImageRequest.of("a cat"));
        key.set(Optional.of(Secret.of(" " + KEY + "\n")));
        generator.generate(ImageRequest.of("a cat"));

        assertThat(server.received().get(0).header("Authorization")).isNull();
        assertThat(server.received().get(1).header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void requestsAreCheckedBeforeAnythingIsSent() {
        GptImageGenerator generator = generator();

        assertThatThrownBy(() -> generator.generate(ImageRequest.of("  "))).isInstanceOf(PluginException.class)
                .hasMessage("the prompt is empty: say what the image should show");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 5, null)))
                .hasMessage("asked for 5 images, more than this instance's maxImages (4)");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, "512x512", 1, null)))
                .hasMessage("the size (model 'gpt-image-1') must be one of '1024x1024', '1536x1024', '1024x1536', "
                        + "'auto', was '512x512'");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("quality", "ultra")))).hasMessage("option 'quality' (model 'gpt-image-1') must be one of "
                        + "'low', 'medium', 'high', 'auto', was 'ultra'");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("background", "transparent", "output_format", "jpeg")))).hasMessage("a transparent background "
                        + "needs output format 'png' or 'webp' (JPEG has no transparency), was 'jpeg'");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("output_format", "gif")))).hasMessage("option 'output_format' must be one of 'png', 'jpeg', "
                        + "'webp', was 'gif'");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("output_format", "png", "outputFormat", "webp")))).hasMessage("options 'output_format' and "
                        + "'outputFormat' disagree: 'png' and 'webp'");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("moderation", "off")))).hasMessage("option 'moderation' must be one of 'auto', 'low', was "
                        + "'off'");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("quality", 3)))).hasMessage("option 'quality' must be a text, was Integer 3");
        assertThatThrownBy(() -> generator.generate(new ImageRequest("a cat", null, null, 1,
                Map.of("aspectRatio", "16:9")))).hasMessage("unknown option 'aspectRatio': this generator takes "
                        + "quality, background, output_format (or outputFormat), moderation and mask");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new GptImageSettings("ftp://x/v1", "", "gpt-image-1", "auto", "auto",
                ImageFormat.PNG, "auto", "auto", 4, Duration.ofSeconds(1), 0)).hasMessage("setting 'baseUrl' must be "
                        + "an http or https URL without query, such as 'https://api.openai.com/v1', was 'ftp://x/v1'");
        assertThatThrownBy(() -> new GptImageSettings("http://h/v1", "", "dall-e-2", "auto", "auto",
                ImageFormat.PNG, "auto", "auto", 4, Duration.ofSeconds(1), 0)).hasMessage("setting 'model' must be a "
                        + "GPT image model (such as 'gpt-image-1' or 'gpt-image-1-mini') or 'dall-e-3', was "
                        + "'dall-e-2'");
        assertThatThrownBy(() -> new GptImageSettings("http://h/v1", "", "dall-e-3", "1536x1024", "auto",
                ImageFormat.PNG, "auto", "auto", 4, Duration.ofSeconds(1), 0)).hasMessage("setting 'size' (model "
                        + "'dall-e-3') must be one of '1024x1024', '1792x1024', '1024x1792', 'auto', was '1536x1024'");
        assertThatThrownBy(() -> new GptImageSettings("http://h/v1", "", "dall-e-3", "auto", "auto",
                ImageFormat.WEBP, "auto", "auto", 4, Duration.ofSeconds(1), 0)).hasMessageStartingWith("model "
                        + "'dall-e-3' makes PNG images and takes no background or moderation");
        assertThatThrownBy(() -> new GptImageSettings("http://h/v1", "", "gpt-image-1", "auto", "auto",
                ImageFormat.JPEG, "transparent", "auto", 4, Duration.ofSeconds(1), 0)).hasMessage("setting "
                        + "'background' transparent needs outputFormat 'png' or 'webp' (JPEG has no transparency), "
                        + "was 'jpeg'");
        assertThatThrownBy(() -> new GptImageSettings("http://h/v1", "", "gpt-image-1", "auto", "auto",
                ImageFormat.PNG, "auto", "auto", 11, Duration.ofSeconds(1), 0)).hasMessage("setting 'maxImages' "
                        + "must be between 1 and 10 (OpenAI's limit), was 11");
        assertThatThrownBy(() -> ImageFormat.of("gif", "setting 'outputFormat'"))
                .hasMessage("setting 'outputFormat' must be one of 'png', 'jpeg', 'webp', was 'gif'");
        assertThat(ImageFormat.of("JPG", "x")).isEqualTo(ImageFormat.JPEG);
        GptImageSettings settings = new GptImageSettings(" http://127.0.0.1:8080/v1// ", null, " gpt-image-1-mini ",
                "1024X1024", "HIGH", ImageFormat.WEBP, "Opaque", "LOW", 1, Duration.ofSeconds(1), 0);
        assertThat(settings.endpoint(Images.GENERATIONS)).hasToString("http://127.0.0.1:8080/v1/images/generations");
        assertThat(settings).extracting(GptImageSettings::model, GptImageSettings::size, GptImageSettings::quality,
                GptImageSettings::background, GptImageSettings::moderation, GptImageSettings::organization)
                .containsExactly("gpt-image-1-mini", "1024x1024", "high", "opaque", "low", "");
    }

    /** Bytes that start like an image of this format (its magic number), then some text. */
    private static byte[] image(ImageFormat format, String content) {
        byte[] magic = switch (format) {
            case PNG -> new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
            case JPEG -> new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
            case WEBP -> new byte[] {'R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(magic);
        out.writeBytes(content.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** One part of a {@code multipart/form-data} body, read as a server reads it. */
    private record Part(String name, String fileName, String contentType, byte[] data) {

        private static final Pattern NAME = Pattern.compile("; name=\"([^\"]*)\"");
        private static final Pattern FILE_NAME = Pattern.compile("; filename=\"([^\"]*)\"");

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** The parts of a body, checking its framing: delimiter lines, header blocks, the closing delimiter. */
        static List<Part> parse(String contentType, byte[] body) {
            String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
            byte[] first = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
            assertThat(indexOf(body, first, 0)).as("the body starts with the first delimiter").isZero();
            List<Part> parts = new ArrayList<>();
            int position = first.length;
            while (true) {
                int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), position);
                String headers = new String(body, position, headersEnd - position, StandardCharsets.UTF_8);
                int end = indexOf(body, delimiter, headersEnd + 4);
                assertThat(end).as("a delimiter follows part #" + (parts.size() + 1)).isPositive();
                byte[] data = java.util.Arrays.copyOfRange(body, headersEnd + 4, end);
                String disposition = null;
                String type = null;
                for (String line : headers.split("\r\n")) {
                    if (line.startsWith("Content-Disposition: form-data")) {
                        disposition = line;
                    } else if (line.startsWith("Content-Type: ")) {
                        type = line.substring("Content-Type: ".length());
                    }
                }
                assertThat(disposition).as("the headers of part #" + (parts.size() + 1)).isNotNull();
                Matcher name = NAME.matcher(disposition);
                Matcher fileName = FILE_NAME.matcher(disposition);
                parts.add(new Part(name.find() ? name.group(1) : null, fileName.find() ? fileName.group(1) : null,
                        type, data));
                position = end + delimiter.length;
                String after = new String(body, position, 2, StandardCharsets.US_ASCII);
                if (after.equals("--")) {
                    assertThat(new String(body, position, body.length - position, StandardCharsets.US_ASCII))
                            .as("the closing delimiter ends the body").isEqualTo("--\r\n");
                    return parts;
                }
                assertThat(after).isEqualTo("\r\n");
                position += 2;
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = from; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
