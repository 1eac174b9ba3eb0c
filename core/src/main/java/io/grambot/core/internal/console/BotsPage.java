package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import io.grambot.core.internal.bot.ConversationStore.Summary;

/**
 * The bots section of the Grambot console page: a table of the bots, then each bot's conversations with a Clear
 * button (a plain form POSTing {@code action=clear} with the session's token). Everything shown is escaped.
 */
public final class BotsPage {

    /** The most conversations shown per bot, newest first. */
    public static final int MAX_CONVERSATIONS = 200;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int SHORT_ID = 16;

    /**
     * A bot as the page shows it.
     *
     * @param id the bot id (its configuration's name)
     * @param connectors the connector instances it listens to
     * @param provider the inference provider instance, or empty
     * @param model the model, or empty for the provider's default
     * @param running whether the bot's component is active
     * @param enabled whether its configuration lets it run ({@code enabled=false} keeps it stopped)
     * @param conversations its conversations, newest first (at most {@link #MAX_CONVERSATIONS})
     * @param moreConversations how many older ones are not shown
     * @param problem why the bot or its conversations cannot be shown fully, or {@code null}
     */
    public record BotView(String id, List<String> connectors, String provider, String model, boolean running,
            boolean enabled, List<Summary> conversations, int moreConversations, String problem) {}

    private BotsPage() {}

    /**
     * Writes the section.
     *
     * @param action where the forms post to (the plugin's address)
     * @param token the session's token for the forms
     */
    public static void render(PrintWriter out, List<BotView> bots, String action, String token) {
        render(out, bots, id -> null, action, token);
    }

    /**
     * Writes the section, each connector and provider followed by its instance's state.
     *
     * @param instanceState the state of an instance (such as {@code ACTIVE}), or {@code null} when there is none
     */
    public static void render(PrintWriter out, List<BotView> bots, Function<String, String> instanceState,
            String action, String token) {
        long running = bots.stream().filter(BotView::running).count();
        out.println("<h2 id=\"bots\" class=\"ui-widget-header\">Bots</h2>");
        out.println("<p class=\"statline\">" + bots.size() + (bots.size() == 1 ? " bot" : " bots") + ", " + running
                + " running.</p>");
        out.println("<table class=\"nicetable\" id=\"grambot-bots\"><thead><tr><th>Bot</th><th>Connectors</th>"
                + "<th>Provider</th><th>Model</th><th>State</th><th>Conversations</th></tr></thead><tbody>");
        if (bots.isEmpty()) {
            out.println("<tr><td colspan=\"6\">No bots yet: a bot is a <code>grambot.bot</code> configuration "
                    + "(Configuration page, or a file <code>etc/grambot.bot-&lt;id&gt;.config</code>).</td></tr>");
        }
        for (BotView bot : bots) {
            out.println("<tr><td><a href=\"#bot-" + Html.attribute(bot.id()) + "\">" + Html.text(bot.id())
                    + "</a></td><td>" + Html.text(String.join(", ", bot.connectors().stream()
                            .map(c -> withState(c, instanceState)).toList())) + "</td><td>"
                    + Html.text(bot.provider() == null || bot.provider().isBlank() ? "–"
                            : withState(bot.provider(), instanceState)) + "</td><td>" + Html.text(orDefault(bot.model()))
                    + "</td><td>" + (bot.running() ? "running" : bot.enabled() ? "not running" : "disabled") + "</td><td>"
                    + (bot.conversations().size() + bot.moreConversations()) + "</td></tr>");
        }
        out.println("</tbody></table>");
        for (BotView bot : bots) {
            conversations(out, bot, action, token);
        }
    }

    private static void conversations(PrintWriter out, BotView bot, String action, String token) {
        out.println("<h3 id=\"bot-" + Html.attribute(bot.id()) + "\" class=\"ui-widget-header\">Conversations of "
                + Html.text(bot.id()) + "</h3>");
        if (bot.problem() != null) {
            out.println("<p class=\"ui-state-error\">" + Html.text(bot.problem()) + "</p>");
        }
        if (bot.conversations().isEmpty()) {
            out.println("<p>No history kept.</p>");
            return;
        }
        out.println("<table class=\"nicetable grambot-conversations\"><thead><tr><th>Connector</th>"
                + "<th>Conversation</th><th>Messages</th><th>Last update</th><th></th></tr></thead><tbody>");
        for (Summary conversation : bot.conversations()) {
            String id = conversation.conversationId();
            String shown = id == null ? "(older file " + conversation.key().substring(0, 8) + "…)"
                    : id.length() > SHORT_ID ? id.substring(0, SHORT_ID - 1) + "…" : id;
            String title = id == null ? "written before files named their conversation; key " + conversation.key()
                    : id;
            String messages = conversation.problem() != null ? "unreadable: " + conversation.problem()
                    : Integer.toString(conversation.messages());
            out.println("<tr><td>" + Html.text(conversation.connector()) + "</td><td title=\"" + Html.attribute(title)
                    + "\"><code>" + Html.text(shown) + "</code></td><td>" + Html.text(messages) + "</td><td>"
                    + Html.text(time(conversation.updated())) + "</td><td>"
                    + "<form method=\"post\" action=\"" + Html.attribute(action) + "\">"
                    + hidden("action", "clear") + hidden(RequestGuard.TOKEN_PARAMETER, token)
                    + hidden("bot", bot.id()) + hidden("connector", conversation.connector())
                    + hidden("conversation", conversation.key())
                    + "<button type=\"submit\" class=\"ui-button ui-state-default ui-corner-all\">Clear</button>"
                    + "</form></td></tr>");
        }
        out.println("</tbody></table>");
        if (bot.moreConversations() > 0) {
            out.println("<p>" + bot.moreConversations() + " older conversations are not shown.</p>");
        }
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + Html.attribute(name) + "\" value=\"" + Html.attribute(value)
                + "\"/>";
    }

    private static String time(Instant instant) {
        return instant == null ? "unknown" : TIME.format(instant);
    }

    private static String withState(String instanceId, Function<String, String> instanceState) {
        String state = instanceState.apply(instanceId);
        return state == null ? instanceId : instanceId + " (" + state + ")";
    }

    private static String orDefault(String value) {
        return value == null || value.isBlank() ? "(provider's default)" : value;
    }
}
