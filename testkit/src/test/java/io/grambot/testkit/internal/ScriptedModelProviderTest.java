package io.grambot.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.testkit.ScriptedModel;

class ScriptedModelProviderTest {

    private final ScriptedModelProvider model = new ScriptedModelProvider("model-1");

    @Test
    void stepsAnswerInOrderAndEveryRequestIsRecorded() throws Exception {
        model.callTool("echo", Map.of("text", "hi")).answer(ScriptedModel::lastToolResult);
        ChatRequest first = request(ChatMessage.user("say hi"));

        ChatResponse call = model.chat(first);
        assertThat(call.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("echo");
            assertThat(c.arguments()).isEqualTo(Map.of("text", "hi"));
            assertThat(c.id()).isEqualTo("call-1");
        });
        assertThat(model.pendingSteps()).isEqualTo(1);

        ChatRequest second = request(ChatMessage.user("say hi"), ChatMessage.assistant("", call.toolCalls()),
                ChatMessage.toolResult("call-1", "> hi"));
        ChatResponse answer = model.chat(second);

        assertThat(answer.text()).isEqualTo("> hi");
        assertThat(answer.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(model.requests()).containsExactly(first, second);
        assertThat(model.pendingSteps()).isZero();
    }

    @Test
    void aRequestWithNoStepLeftFailsSayingWhatItWasAsked() throws Exception {
        model.answer("only one");
        model.chat(request(ChatMessage.user("one")));

        assertThatThrownBy(() -> model.chat(request(ChatMessage.user("two"))))
                .isInstanceOf(PluginException.class)
                .hasMessage("the scripted model 'model-1' has no step left for request 2 (its last message: "
                        + "USER \"two\")");
        assertThat(model.requests()).hasSize(2);
    }

    @Test
    void aStepThatCannotAnswerTheRequestFailsTheCallWithItsReason() {
        model.answer(ScriptedModel::lastToolResult);

        assertThatThrownBy(() -> model.chat(request(ChatMessage.user("no tool was called"))))
                .isInstanceOf(PluginException.class)
                .hasMessage("step 1 of the scripted model 'model-1' failed: the request has no TOOL message, "
                        + "only [USER]");
    }

    @Test
    void lastUserTextIsTheNewestMessageOfThePerson() {
        ChatRequest request = request(ChatMessage.user("first"), ChatMessage.assistant("ok", List.of()),
                ChatMessage.user("second"));

        assertThat(ScriptedModel.lastUserText(request)).isEqualTo("second");
    }

    private static ChatRequest request(ChatMessage... messages) {
        return new ChatRequest(null, null, List.of(messages), List.of(), 0);
    }
}
