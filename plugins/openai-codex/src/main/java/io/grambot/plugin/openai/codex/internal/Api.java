package io.grambot.plugin.openai.codex.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The OpenAI wire protocols this plugin speaks; the {@code api} setting chooses one. */
enum Api {

    /** {@code POST /chat/completions}: OpenAI and every OpenAI-compatible server. */
    CHAT_COMPLETIONS("chat-completions"),

    /** {@code POST /responses}: OpenAI's newer protocol, and the only one a ChatGPT sign-in (Codex) speaks. */
    RESPONSES("responses");

    final String setting;

    Api(String setting) {
        this.setting = setting;
    }

    static Api of(String setting) {
        return Arrays.stream(values()).filter(api -> api.setting.equals(setting)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("setting 'api' must be one of "
                        + Arrays.stream(values()).map(api -> "'" + api.setting + "'").collect(Collectors.joining(", "))
                        + ", was '" + setting + "'"));
    }
}
