package io.grambot.plugin.nanobanana.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.http.HttpException;
import io.grambot.http.ProviderError;

class GeminiConnectionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    @Test
    void theErrorCodeIsTheErrorInfoReasonElseTheStatus() throws IOException {
        assertThat(GeminiConnection.error(parse("""
                {"error":{"code":400,"message":"API key expired. Please renew the API key.","status":"INVALID_ARGUMENT",
                  "details":[{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"x"},
                    {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID",
                     "domain":"googleapis.com"}]}}""")))
                .contains(new ProviderError("API key expired. Please renew the API key.", "API_KEY_INVALID"));
        assertThat(GeminiConnection.error(parse("""
                [{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}]""")))
                .contains(new ProviderError("The model is overloaded.", "UNAVAILABLE"));
        assertThat(GeminiConnection.error(parse("{\"error\":{\"code\":500,\"status\":\"INTERNAL\"}}")))
                .contains(new ProviderError("INTERNAL", "INTERNAL"));
        assertThat(GeminiConnection.error(parse("{\"message\":\"gateway says no\"}")))
                .contains(new ProviderError("gateway says no", null));
        assertThat(GeminiConnection.error(parse("\"just text\""))).isEmpty();
    }

    @Test
    void theRetryDelayIsReadFromRetryInfo() throws IOException {
        assertThat(GeminiConnection.retryDelay(429, parse("""
                {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
                  {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.250s"}]}}""")))
                .contains(Duration.ofMillis(250));
        assertThat(GeminiConnection.retryDelay(429, parse("""
                {"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",
                  "retryDelay":{"seconds":2,"nanos":500000000}}]}}"""))).contains(Duration.ofMillis(2500));
        assertThat(GeminiConnection.retryDelay(429, parse("""
                {"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"soon"}]}}""")))
                .isEmpty();
        assertThat(GeminiConnection.retryDelay(503, parse("{\"error\":{\"code\":503}}"))).isEmpty();
        assertThat(GeminiConnection.retryDelay(503, null)).isEmpty();
    }

    @Test
    void failuresGoogleDoesNotExplainAreLeftAsTheyAre() {
        HttpException internal = new HttpException("POST x answered 500: oops", 500, true, null, null,
                new ProviderError("oops", "INTERNAL"));

        assertThat(GeminiConnection.explain(internal, true, "m")).isSameAs(internal);
    }

    @Test
    void aForbiddenCallWithoutAKeyAsksForOne() {
        HttpException forbidden = new HttpException("GET x answered 403 Forbidden: Method doesn't allow unregistered "
                + "callers", 403, false, null, null, new ProviderError("Method doesn't allow unregistered callers",
                        "PERMISSION_DENIED"));

        HttpException explained = GeminiConnection.explain(forbidden, false, "m");

        assertThat(explained).hasMessage("GET x answered 403 Forbidden: Method doesn't allow unregistered callers "
                + "(PERMISSION_DENIED: no API key was sent: put a Gemini API key (from "
                + "https://aistudio.google.com/apikey) into the secret 'apiKey')");
        assertThat(explained.status()).isEqualTo(403);
        assertThat(explained.providerCode()).contains("PERMISSION_DENIED");
    }

    @Test
    void theMapperReadsStringsLongerThanJacksonsDefaultLimit() throws IOException {
        String image = "A".repeat(25_000_000);

        JsonNode node = GeminiConnection.mapper().readTree("{\"data\":\"" + image + "\"}");

        assertThat(node.get("data").textValue()).hasSize(25_000_000);
    }
}
