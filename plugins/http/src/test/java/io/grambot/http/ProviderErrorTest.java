package io.grambot.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ProviderErrorTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private Optional<ProviderError> parse(String json) throws Exception {
        return ProviderError.Parser.STANDARD.parse(mapper.readTree(json));
    }

    @Test
    void readsOpenAiErrors() throws Exception {
        assertThat(parse("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}"))
                .contains(new ProviderError("Incorrect API key provided", "invalid_api_key"));
    }

    @Test
    void readsAnthropicErrors() throws Exception {
        assertThat(parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
                .contains(new ProviderError("Overloaded", "overloaded_error"));
    }

    @Test
    void readsTelegramErrors() throws Exception {
        assertThat(parse("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"))
                .contains(new ProviderError("Unauthorized", "401"));
    }

    @Test
    void readsPlainAndDetailShapes() throws Exception {
        assertThat(parse("{\"error\":\"model 'llama9' not found\"}"))
                .contains(new ProviderError("model 'llama9' not found", null));
        assertThat(parse("{\"message\":\"bad gateway\"}")).contains(new ProviderError("bad gateway", null));
        assertThat(parse("{\"detail\":\"Not Found\"}")).contains(new ProviderError("Not Found", null));
        assertThat(parse("{\"detail\":[{\"msg\":\"field required\"},{\"msg\":\"too long\"}]}"))
                .contains(new ProviderError("field required; too long", null));
    }

    @Test
    void findsNothingInOtherBodies() throws Exception {
        assertThat(parse("{\"choices\":[]}")).isEmpty();
        assertThat(parse("[1,2]")).isEmpty();
        assertThat(parse("{\"error\":{\"param\":\"x\"}}")).isEmpty();
        assertThat(ProviderError.Parser.STANDARD.parse(null)).isEmpty();
    }
}
