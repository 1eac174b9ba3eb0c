package io.grambot.plugin.nanobanana.internal;

import static io.grambot.plugin.nanobanana.internal.FakeGemini.answer;
import static io.grambot.plugin.nanobanana.internal.FakeGemini.drop;
import static io.grambot.plugin.nanobanana.internal.FakeGemini.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

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

class NanoBananaGeneratorTest {

    private static final String KEY = "AIzaSyTESTKEY0123456789abcdefghijklmnop";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MODEL = "gemini-2.5-flash-image";

    /** The first bytes of a PNG, then some pixels. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 9, 8, 7};

    private final FakeGemini server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> key = new AtomicReference<>(KEY);

    NanoBananaGeneratorTest() throws IOException {
        server = new FakeGemini();
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(logLines).noneMatch(line -> line.contains(KEY));
        assertThat(server.received()).allSatisfy(request -> assertThat(request.path()).doesNotContain(KEY)
                .doesNotContain("key="));
    }

    private NanoBananaSettings settings(ImageShape shape, int maxRetries) {
        return new NanoBananaSettings(server.baseUrl() + "/", MODEL, shape, Duration.ofSeconds(10), maxRetries);
    }

    private NanoBananaGenerator generator() {
        return generator(settings(ImageShape.DEFAULT, 2));
    }

    private NanoBananaGenerator generator(NanoBananaSettings settings) {
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
        return new NanoBananaGenerator("main", settings, name -> name.equals(GeminiConnection.API_KEY)
                ? Optional.ofNullable(key.get()).map(Secret::of) : Optional.empty(), log, sleeps::add);
    }

    private static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** An answer as Google documents it: a text part and an image part in one candidate. */
    private static String imageAnswer(String text, String mimeType, byte[] image) {
        return """
                {"candidates":[{"content":{"parts":[%s{"inlineData":{"mimeType":"%s","data":"%s"}}],"role":"model"},
                  "finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1290,"totalTokenCount":1302,
                  "promptTokensDetails":[{"modality":"TEXT","tokenCount":12}],
                  "candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]},
                 "modelVersion":"gemini-2.5-flash-image","responseId":"mVpJaL2aBZGgz7IP4Mmh8Qk"}"""
                .formatted(text == null ? "" : "{\"text\":\"" + text + "\"},", mimeType, base64(image));
    }

    private static String error(int code, String message, String status, String... details) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\""
                + (details.length == 0 ? "" : ",\"details\":[" + String.join(",", details) + "]") + "}}";
    }

    private static final String INVALID_KEY = error(400, "API key not valid. Please pass a valid API key.",
            "INVALID_ARGUMENT", """
                    {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID",
                     "domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}""",
            """
                    {"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US",
                     "message":"API key not valid. Please pass a valid API key."}""");

    private static final String MODELS_PAGE_1 = """
            {"models":[{"name":"models/gemini-2.5-flash","version":"001","displayName":"Gemini 2.5 Flash",
               "supportedGenerationMethods":["generateContent","countTokens"]},
              {"name":"models/gemini-2.5-flash-image","version":"2.0","displayName":"Nano Banana",
               "supportedGenerationMethods":["generateContent","countTokens","batchGenerateContent"]}],
             "nextPageToken":"Ch9tb2RlbHMvZ2VtaW5p+/="}""";
    private static final String MODELS_PAGE_2 = """
            {"models":[{"name":"models/gemini-3-pro-image-preview","version":"3.0","displayName":"Nano Banana Pro",
               "supportedGenerationMethods":["generateContent","countTokens"]}]}""";

    private String generatePath() {
        return "/v1beta/models/" + MODEL + ":generateContent";
    }

    @Test
    void thePluginIdMapsToTheFactoryPid() {
        assertThat(PluginConstants.factoryPid(NanoBananaGenerator.PLUGIN_ID)).isEqualTo(NanoBananaGenerator.FACTORY_PID);
        assertThat(generator().id()).isEqualTo("main");
    }

    @Test
    void aPromptBecomesOneUserTurnAndTheImageComesBackWithItsType() throws Exception {
        server.then(json(200, imageAnswer("Here is a banana wearing a tuxedo.", "image/png", PNG)));

        ImageResult result = generator().generate(ImageRequest.of("A banana in a tuxedo"));

        assertThat(result.images()).containsExactly(new Media("image/png", PNG, "image-1.png"));
        assertThat(result.text()).isEqualTo("Here is a banana wearing a tuxedo.");
        FakeGemini.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(generatePath());
        assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.json()).isEqualTo(parse("""
                {"contents":[{"role":"user","parts":[{"text":"A banana in a tuxedo"}]}],
                 "generationConfig":{"responseModalities":["TEXT","IMAGE"]}}"""));
        assertThat(logLines).anyMatch(line -> line.startsWith("POST " + server.baseUrl() + generatePath()
                + " answered 200")).anyMatch(line -> line.contains("made 1 image (tokens: 12 in, 1290 out)"));
    }

    @Test
    void inputImagesGoAsInlineDataPartsAndTheSizeBecomesAnAspectRatio() throws Exception {
        server.then(json(200, imageAnswer(null, "image/png", PNG)));
        ImageRequest request = new ImageRequest("Put the cat on the sofa", List.of(new Media("image/png", PNG),
                new Media("image/jpg", JPEG, "sofa.jpg")), "1792x1024", 1, Map.of("imageSize", "2k"));

        ImageResult result = generator().generate(request);

        assertThat(result.text()).isEmpty();
        assertThat(server.last().json()).isEqualTo(parse("""
                {"contents":[{"role":"user","parts":[{"text":"Put the cat on the sofa"},
                   {"inlineData":{"mimeType":"image/png","data":"%s"}},
                   {"inlineData":{"mimeType":"image/jpeg","data":"%s"}}]}],
                 "generationConfig":{"responseModalities":["TEXT","IMAGE"],
                   "imageConfig":{"aspectRatio":"16:9","imageSize":"2K"}}}""".formatted(base64(PNG), base64(JPEG))));
    }

    @Test
    void theSettingsShapeAppliesWhereTheRequestNamesNoneAndOptionsWin() throws Exception {
        server.then(json(200, imageAnswer(null, "image/png", PNG))).then(json(200, imageAnswer(null, "image/png", PNG)));
        NanoBananaGenerator generator = generator(settings(NanoBananaSettings.shape("3:2", "4K"), 0));

        generator.generate(ImageRequest.of("A lighthouse"));
        JsonNode fromSettings = server.last().json().at("/generationConfig/imageConfig");
        generator.generate(new ImageRequest("A lighthouse", List.of(), "9:16", 1, Map.of("aspect_ratio", "1:1")));
        JsonNode fromOptions = server.last().json().at("/generationConfig/imageConfig");

        assertThat(fromSettings).isEqualTo(parse("{\"aspectRatio\":\"3:2\",\"imageSize\":\"4K\"}"));
        assertThat(fromOptions).isEqualTo(parse("{\"aspectRatio\":\"1:1\",\"imageSize\":\"4K\"}"));
    }

    @Test
    void snakeCaseFieldsAreReadAndThoughtsAreLeftOut() throws Exception {
        server.then(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[
                   {"text":"Sketching the composition first.","thought":true},
                   {"inline_data":{"mime_type":"image/png","data":"%s"},"thought":true},
                   {"text":"A watercolour fox."},
                   {"inline_data":{"mime_type":"image/jpeg","data":"%s"}},
                   {"text":"Want it brighter?"}]},
                  "finish_reason":"STOP"}]}""".formatted(base64(PNG), base64(JPEG))));

        ImageResult result = generator().generate(ImageRequest.of("A fox in watercolour"));

        assertThat(result.images()).containsExactly(new Media("image/jpeg", JPEG, "image-1.jpg"));
        assertThat(result.text()).isEqualTo("A watercolour fox.\nWant it brighter?");
    }

    @Test
    void aHugeImageIsDecodedIntact() throws Exception {
        // 16 MB are 22 million base64 characters: more than Jackson reads in one string by default
        byte[] image = new byte[16 * 1024 * 1024];
        new Random(42).nextBytes(image);
        System.arraycopy(PNG, 0, image, 0, PNG.length);
        server.then(json(200, imageAnswer("Your 4K poster.", "image/png", image)));

        ImageResult result = generator().generate(ImageRequest.of("A 4K poster"));

        assertThat(result.images()).hasSize(1);
        Media media = result.images().get(0);
        assertThat(media.mediaType()).isEqualTo("image/png");
        assertThat(media.size()).isEqualTo(image.length);
        assertThat(media.data()).isEqualTo(image);
        assertThat(result.text()).isEqualTo("Your 4K poster.");
    }

    @Test
    void twoImagesTakeTwoCallsAndTheSameTextIsKeptOnce() throws Exception {
        server.then(json(200, imageAnswer("Here you go.", "image/png", PNG)))
                .then(json(200, imageAnswer("Here you go.", "image/jpeg", JPEG)));

        ImageResult result = generator().generate(new ImageRequest("Two robots", List.of(), null, 2, Map.of()));

        assertThat(result.images()).containsExactly(new Media("image/png", PNG, "image-1.png"),
                new Media("image/jpeg", JPEG, "image-2.jpg"));
        assertThat(result.text()).isEqualTo("Here you go.");
        assertThat(server.received()).hasSize(2);
        assertThat(server.received()).allSatisfy(request -> assertThat(request.json().at("/generationConfig")
                .has("candidateCount")).isFalse());
    }

    @Test
    void whenALaterCallFailsTheImagesAlreadyMadeAreKept() throws Exception {
        server.then(json(200, imageAnswer(null, "image/png", PNG)))
                .then(json(200, "{\"candidates\":[{\"finishReason\":\"IMAGE_SAFETY\",\"index\":0}]}"));

        ImageResult result = generator().generate(new ImageRequest("Three dragons", List.of(), null, 3, Map.of()));

        assertThat(result.images()).containsExactly(new Media("image/png", PNG, "image-1.png"));
        assertThat(result.text()).isEqualTo("(made 1 of 3 images: call 2 failed: Gemini made no image (finishReason "
                + "IMAGE_SAFETY): its safety filters blocked the image)");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void aBlockedPromptIsARefusalNamingTheReason() {
        server.then(json(200, """
                {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[
                   {"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT","probability":"HIGH","blocked":true},
                   {"category":"HARM_CATEGORY_HATE_SPEECH","probability":"NEGLIGIBLE"}]},
                 "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash-image"}"""));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("something explicit")));

        assertThat(e).hasMessage("Gemini refused the prompt (blockReason SAFETY): its safety filters blocked it "
                + "(SEXUALLY_EXPLICIT HIGH); change the prompt and try again");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void otherBlockReasonsAreNamedToo() {
        server.then(json(200, "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"candidates\":[]}"));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("a forbidden thing")));

        assertThat(e).hasMessage("Gemini refused the prompt (blockReason PROHIBITED_CONTENT): it asks for prohibited "
                + "content; change the prompt and try again");
    }

    @Test
    void anImageBlockedAfterGenerationNamesTheFinishReasonAndMessage() {
        server.then(json(200, """
                {"candidates":[{"content":{"role":"model"},"finishReason":"IMAGE_SAFETY",
                   "finishMessage":"Unable to show the generated image. The image was filtered out because it \
                violated Google's Generative AI Prohibited Use policy.","index":0}],
                 "usageMetadata":{"promptTokenCount":9,"totalTokenCount":9}}"""));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("a celebrity")));

        assertThat(e).hasMessage("Gemini made no image (finishReason IMAGE_SAFETY): its safety filters blocked the "
                + "image (Unable to show the generated image. The image was filtered out because it violated Google's "
                + "Generative AI Prohibited Use policy.)");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void noImageWithAQuestionPassesTheQuestionOn() {
        server.then(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Should the cat be realistic or a cartoon?"}]},
                   "finishReason":"NO_IMAGE","index":0}]}"""));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("a cat")));

        assertThat(e).hasMessage("Gemini made no image (finishReason NO_IMAGE): the model was expected to make an "
                + "image but made none; it said: \"Should the cat be realistic or a cartoon?\"");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(1); // a call that made no image is not repeated on its own
    }

    @Test
    void textOnlyWithStopIsAnErrorWithTheText() {
        server.then(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"I can't draw maps of real addresses."}]},
                   "finishReason":"STOP","index":0}]}"""));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("a map of my street")));

        assertThat(e).hasMessage("Gemini made no image (finishReason STOP): the model answered with text only; it "
                + "said: \"I can't draw maps of real addresses.\"");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void anAnswerWithoutCandidatesOrReasonIsAnError() {
        server.then(json(200, "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":5},\"modelVersion\":\"x\"}"));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("anything")));

        assertThat(e).hasMessage("Gemini made no image: its answer has no candidates and no reason (an object with "
                + "fields [candidates, usageMetadata, modelVersion])");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void anInvalidKeyNamesTheSecretAndIsNotRetried() {
        server.then(json(400, INVALID_KEY));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e).hasMessage("POST " + server.baseUrl() + generatePath() + " answered 400 Bad Request: API key "
                + "not valid. Please pass a valid API key. (API_KEY_INVALID: the API key in the instance's secret "
                + "'apiKey' was refused: put a valid Gemini API key (from https://aistudio.google.com/apikey) into it)");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.retryable()).isFalse();
        assertThat(e.providerCode()).contains("API_KEY_INVALID");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRefusedKeyThatGoogleEchoesIsMaskedInTheError() {
        server.then(json(403, error(403, "Permission denied: Consumer 'api_key:" + KEY + "' has been suspended.",
                "PERMISSION_DENIED", """
                        {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CONSUMER_SUSPENDED",
                         "domain":"googleapis.com"}""")));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e.getMessage()).doesNotContain(KEY).isEqualTo("POST " + server.baseUrl() + generatePath()
                + " answered 403 Forbidden: Permission denied: Consumer 'api_key:******' has been suspended. "
                + "(CONSUMER_SUSPENDED: the API key in the secret 'apiKey' may not use model '" + MODEL + "' or this "
                + "project: check the key and the project's access to the Gemini API)");
        assertThat(e.providerMessage()).hasValueSatisfying(message -> assertThat(message).doesNotContain(KEY));
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void withoutAKeyAProxyGetsNoKeyHeaderAndGoogleIsNotCalled() throws Exception {
        key.set(null);
        server.then(json(200, imageAnswer(null, "image/png", PNG)));

        generator().generate(ImageRequest.of("A banana"));

        assertThat(server.last().header("x-goog-api-key")).isNull();
        NanoBananaGenerator google = generator(new NanoBananaSettings(NanoBananaSettings.DEFAULT_BASE_URL, MODEL,
                ImageShape.DEFAULT, Duration.ofSeconds(1), 0));
        PluginException e = catchThrowableOfType(PluginException.class,
                () -> google.generate(ImageRequest.of("A banana")));
        assertThat(e).hasMessage("the instance has no API key: put a Gemini API key (from "
                + "https://aistudio.google.com/apikey) into its secret 'apiKey'");
        assertThat(google.testConnection()).isEqualTo(ConnectionTestResult.failed(e.getMessage()));
    }

    @Test
    void theKeyIsReadForEveryCall() throws Exception {
        server.then(json(200, imageAnswer(null, "image/png", PNG))).then(json(200, imageAnswer(null, "image/png", PNG)));
        NanoBananaGenerator generator = generator();

        generator.generate(ImageRequest.of("one"));
        key.set("  AIzaSyNEWKEY  ");
        generator.generate(ImageRequest.of("two"));

        assertThat(server.received()).extracting(request -> request.header("x-goog-api-key"))
                .containsExactly(KEY, "AIzaSyNEWKEY");
    }

    @Test
    void tooManyRequestsWaitsAsRetryInfoSaysThenSucceeds() throws Exception {
        server.then(json(429, error(429, "You exceeded your current quota, please check your plan and billing "
                + "details.", "RESOURCE_EXHAUSTED", """
                        {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{
                          "quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
                          "quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaValue":"10"}]}""",
                """
                        {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more",
                          "url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]}""",
                "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"17s\"}")))
                .then(json(200, imageAnswer(null, "image/png", PNG)));

        ImageResult result = generator().generate(ImageRequest.of("A banana"));

        assertThat(result.images()).hasSize(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(17));
        assertThat(server.received()).hasSize(2);
        assertThat(logLines).anyMatch(line -> line.contains("answered 429 Too Many Requests: You exceeded your current "
                + "quota") && line.endsWith("retrying in 17 s (attempt 2 of 3)"));
    }

    @Test
    void tooManyRequestsWithoutRetryInfoHonoursRetryAfter() throws Exception {
        server.then(answer(429, Map.of("Content-Type", "application/json", "Retry-After", "3"),
                error(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED")))
                .then(json(200, imageAnswer(null, "image/png", PNG)));

        generator().generate(ImageRequest.of("A banana"));

        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aRetryDelayLongerThanAMinuteIsNotWaitedFor() {
        server.then(json(429, error(429, "Quota exceeded for quota metric 'Generate Content requests per day'.",
                "RESOURCE_EXHAUSTED", "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":"
                        + "\"3600s\"}")));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e.getMessage()).startsWith("POST " + server.baseUrl() + generatePath() + " answered 429 Too Many "
                + "Requests: Quota exceeded for quota metric 'Generate Content requests per day'. (it asked to wait "
                + "3600 s, longer than the 60 s this client waits) (RESOURCE_EXHAUSTED: ");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        assertThat(sleeps).isEmpty();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void unavailableIsRetriedUpToMaxRetries() {
        for (int i = 0; i < 3; i++) {
            server.then(json(503, error(503, "The model is overloaded. Please try again later.", "UNAVAILABLE")));
        }

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e).hasMessage("POST " + server.baseUrl() + generatePath() + " answered 503 Service Unavailable: "
                + "The model is overloaded. Please try again later. (gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerCode()).contains("UNAVAILABLE");
        assertThat(server.received()).hasSize(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void anInternalErrorIsRetriedAndThenSucceeds() throws Exception {
        server.then(json(500, error(500, "An internal error has occurred. Please retry.", "INTERNAL")))
                .then(json(200, imageAnswer(null, "image/png", PNG)));

        assertThat(generator().generate(ImageRequest.of("A banana")).images()).hasSize(1);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void malformedJsonIsAnErrorAndNotRetried() {
        server.then(json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\""));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e.getMessage()).startsWith("expected a JSON answer from POST " + server.baseUrl() + generatePath()
                + ", found application/json (");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void anAnswerOfTheWrongShapeSaysWhatWasExpected() {
        server.then(json(200, "{\"candidates\":{\"content\":{}}}"));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e).hasMessage("expected 'candidates' to be a list in the answer of POST " + server.baseUrl()
                + generatePath() + ", found an object with fields [candidates]");
    }

    @Test
    void base64WithLineBreaksOrTheUrlAlphabetAndNoMimeTypeIsStillAnImage() throws Exception {
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xfb, (byte) 0xff, (byte) 0xbf, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        String wrapped = Base64.getMimeEncoder(8, "\r\n".getBytes()).encodeToString(image);
        String urlSafe = Base64.getUrlEncoder().encodeToString(image);
        assertThat(urlSafe).isNotEqualTo(base64(image)); // the test bytes do use the two letters the alphabets differ in
        server.then(json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\""
                + wrapped.replace("\r\n", "\\r\\n") + "\"}},{\"inlineData\":{\"data\":\"" + urlSafe + "\"}}]}}]}"));

        ImageResult result = generator().generate(ImageRequest.of("A banana"));

        assertThat(result.images()).containsExactly(new Media("image/png", image, "image-1.png"),
                new Media("image/png", image, "image-2.png"));
    }

    @Test
    void imageDataThatIsNotBase64IsAnError() {
        server.then(json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
                + "\"data\":\"not base64 at all!\"}}]},\"finishReason\":\"STOP\"}]}"));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e.getMessage()).startsWith("expected base64 data in inline image #1 of the answer of POST "
                + server.baseUrl() + generatePath() + ", found 18 characters that are not base64");
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        server.then(drop()).then(json(200, imageAnswer(null, "image/png", PNG)));

        ImageResult result = generator().generate(ImageRequest.of("A banana"));

        assertThat(result.images()).hasSize(1);
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void aConnectionThatKeepsDroppingFailsRetryably() {
        server.then(drop()).then(drop()).then(drop());

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e.getMessage()).startsWith("POST " + server.baseUrl() + generatePath() + " failed: the connection "
                + "broke before a complete answer").endsWith("(gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void aSizeThatIsNoShapeIsRefusedBeforeAnyCall() {
        PluginException e = catchThrowableOfType(PluginException.class, () -> generator()
                .generate(new ImageRequest("A banana", List.of(), "huge", 1, Map.of())));

        assertThat(e).hasMessage("cannot make this image: size must be an aspect ratio such as 16:9, dimensions such "
                + "as 1024x1024, 1K, 2K or 4K, square, landscape or portrait, was 'huge'");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void tooManyImagesOrNothingToDrawIsRefusedBeforeAnyCall() {
        PluginException many = catchThrowableOfType(PluginException.class, () -> generator()
                .generate(new ImageRequest("A banana", List.of(), null, 11, Map.of())));
        PluginException nothing = catchThrowableOfType(PluginException.class, () -> generator()
                .generate(ImageRequest.of("  ")));

        assertThat(many).hasMessage("at most 10 images can be asked for at once (each is a call to Gemini), found "
                + "count 11");
        assertThat(nothing).hasMessage("expected a prompt that describes the image, found an empty prompt and no "
                + "input images");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void theConnectionTestListsEveryPageAndFindsTheModel() {
        server.then(json(200, MODELS_PAGE_1)).then(json(200, MODELS_PAGE_2));

        ConnectionTestResult result = generator().testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the API key: it "
                + "lists 3 models, among them the configured model '" + MODEL + "'"));
        assertThat(server.received()).extracting(FakeGemini.Received::path).containsExactly(
                "/v1beta/models?pageSize=1000", "/v1beta/models?pageSize=1000&pageToken=Ch9tb2RlbHMvZ2VtaW5p%2B%2F%3D");
        assertThat(server.received()).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.header("x-goog-api-key")).isEqualTo(KEY);
        });
    }

    @Test
    void theConnectionTestSaysWhenTheModelIsNotListed() {
        server.then(json(200, MODELS_PAGE_2));

        ConnectionTestResult result = generator().testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the API key: it "
                + "lists 1 models; the configured model '" + MODEL + "' is not among them (check the setting 'model')"));
    }

    @Test
    void theConnectionTestFailsWithTheReasonOnABadKey() {
        server.then(json(400, INVALID_KEY));

        ConnectionTestResult result = generator().testConnection();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("GET " + server.baseUrl() + "/v1beta/models?pageSize=1000 answered 400 "
                + "Bad Request: API key not valid. Please pass a valid API key. (API_KEY_INVALID: the API key in the "
                + "instance's secret 'apiKey' was refused: put a valid Gemini API key (from "
                + "https://aistudio.google.com/apikey) into it)");
        assertThat(result.message()).doesNotContain(KEY);
    }

    @Test
    void anUnknownModelPointsAtTheSetting() {
        server.then(json(404, error(404, "models/" + MODEL + " is not found for API version v1beta, or is not "
                + "supported for generateContent. Call ListModels to see the list of available models and their "
                + "supported methods.", "NOT_FOUND")));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> generator().generate(ImageRequest.of("A banana")));

        assertThat(e.getMessage()).endsWith("(NOT_FOUND: check the setting 'model' ('" + MODEL + "'): the connection "
                + "test lists the models the key can use)");
        assertThat(e.status()).isEqualTo(404);
    }
}
