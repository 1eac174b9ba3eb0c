package io.grambot.core.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.grambot.core.internal.bot.ConversationStore;
import io.grambot.core.internal.bot.ConversationStore.Summary;
import io.grambot.core.internal.console.BotsPage.BotView;

class BotsPageTest {

    private static final String EVIL = "<script>alert('x')</script>\"${head.cssLinks}";

    @Test
    void listsBotsAndConversationsWithAClearFormPerConversation() {
        String key = ConversationStore.key("room-with-a-long-conversation-id");
        String page = render(List.of(new BotView("helper", List.of("webchat", "telegram"), "openai", "",
                true, true, List.of(new Summary("webchat", key, "room-with-a-long-conversation-id", 7,
                        Instant.parse("2026-03-01T10:00:00Z"), null)), 0, null),
                new BotView("idle", List.of("webchat"), "", "m1", false, true, List.of(), 0, null),
                new BotView("off", List.of("webchat"), "", "", false, false, List.of(), 0, null)));

        assertThat(page).contains("3 bots, 1 running.", "<td>disabled</td>", "\">helper</a>", "webchat, telegram",
                "openai", "(provider&#39;s default)", "not running", "m1", "No history kept.");
        assertThat(page).contains("<code>room-with-a-lon…</code>", "title=\"room-with-a-long-conversation-id\"",
                "<td>7</td>", "2026-03-01 10:00:00 UTC");
        assertThat(page).contains("<form method=\"post\" action=\"/system/console/grambot\">",
                "name=\"action\" value=\"clear\"", "name=\"token\" value=\"tok-123\"", "name=\"bot\" value=\"helper\"",
                "name=\"connector\" value=\"webchat\"", "name=\"conversation\" value=\"" + key + "\"");
        assertThat(page.split("<form ", -1)).hasSize(2);
    }

    @Test
    void everythingShownIsEscapedIncludingTheConsolesVariableSyntax() {
        String key = ConversationStore.key(EVIL);
        String page = render(List.of(new BotView(EVIL, List.of(EVIL), EVIL, EVIL, true, true, List.of(
                new Summary(EVIL, key, EVIL, 1, null, null), new Summary("webchat", key, null, -1, null, EVIL)), 3,
                EVIL)));

        assertThat(page).doesNotContain("<script>", "${", "'x'", "\"${").contains("&lt;script&gt;", "&#36;{head");
        assertThat(page).contains("(older file " + key.substring(0, 8) + "…)", "3 older conversations are not shown");
    }

    @Test
    void withoutBotsItSaysHowToMakeOne() {
        assertThat(render(List.of())).contains("0 bots, 0 running.", "No bots yet", "grambot.bot-&lt;id&gt;.config");
    }

    private static String render(List<BotView> bots) {
        StringWriter out = new StringWriter();
        BotsPage.render(new PrintWriter(out), bots, "/system/console/grambot", "tok-123");
        return out.toString();
    }
}
