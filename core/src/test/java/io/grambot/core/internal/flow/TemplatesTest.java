package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TemplatesTest {

    private final Map<String, Object> outputs = Map.of(
            "start", Map.of("trigger", "webhook", "data", Map.of("amount", 150, "price", 9.5, "id", "A-7",
                    "paid", true, "items", List.of(Map.of("name", "tea"), Map.of("name", "cake")),
                    "customer", Map.of("name", "Ann"))),
            "call", Map.of("output", Map.of("body", "ok"), "text", ""));

    private Object render(Object template) throws StepException {
        return Templates.render(template, "n", "f", outputs);
    }

    @Test
    void aTextThatIsExactlyOnePlaceholderKeepsTheValuesType() throws StepException {
        assertThat(render("{{start.data.amount}}")).isEqualTo(150);
        assertThat(render("{{start.data.price}}")).isEqualTo(9.5);
        assertThat(render("{{start.data.paid}}")).isEqualTo(true);
        assertThat(render("{{ start.data.customer }}")).isEqualTo(Map.of("name", "Ann"));
        assertThat(render("{{start.data.items.1.name}}")).isEqualTo("cake");
    }

    @Test
    void placeholdersInsideATextBecomeText() throws StepException {
        assertThat(render("https://example.org/{{start.data.id}}?n={{start.data.amount}}"))
                .isEqualTo("https://example.org/A-7?n=150");
        assertThat(render("customer {{start.data.customer}}")).isEqualTo("customer {\"name\":\"Ann\"}");
        assertThat(render("no placeholders")).isEqualTo("no placeholders");
    }

    @Test
    void objectsAndListsAreRenderedThroughout() throws StepException {
        Object rendered = render(Map.of("url", "/{{start.data.id}}", "count", "{{start.data.amount}}",
                "tags", List.of("{{start.data.paid}}", 3)));

        assertThat(rendered).isEqualTo(Map.of("url", "/A-7", "count", 150, "tags", List.of(true, 3)));
    }

    @Test
    void aMissingPathIsAStepErrorNamingNodeFieldAndPath() {
        assertThatThrownBy(() -> Templates.render(Map.of("url", "/{{start.data.nope}}"), "call", "payload", outputs))
                .isInstanceOf(StepException.class)
                .hasMessage("node 'call': field 'payload.url': nothing at 'start.data.nope': 'start.data' has no"
                        + " 'nope'");
        assertThatThrownBy(() -> Templates.render("{{ask.text}}", "notify", "text", outputs))
                .hasMessage("node 'notify': field 'text': nothing at 'ask.text': node 'ask' did not run");
        assertThatThrownBy(() -> render("{{start.data.items.5.name}}"))
                .hasMessage("node 'n': field 'f': nothing at 'start.data.items.5.name': 'start.data.items' is a list"
                        + " of 2, without an entry '5'");
        assertThatThrownBy(() -> render("{{start.data.id.first}}"))
                .hasMessage("node 'n': field 'f': nothing at 'start.data.id.first': 'start.data.id' is the text"
                        + " \"A-7\", not an object or list");
    }

    @Test
    void aLenientLookupGivesMissingInsteadOfFailing() throws StepException {
        assertThat(Templates.renderLenient("{{start.data.nope}}", "n", "left", outputs)).isSameAs(Templates.MISSING);
        assertThat(Templates.renderLenient("{{start.data.id}}", "n", "left", outputs)).isEqualTo("A-7");
    }
}
