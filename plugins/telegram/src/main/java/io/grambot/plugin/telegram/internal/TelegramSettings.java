package io.grambot.plugin.telegram.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An instance's settings, checked (secrets are not among them: the connector reads those at call time).
 *
 * @param baseUrl where the Bot API is, without a trailing slash: calls go to {@code <baseUrl>/bot<token>/<method>}
 * @param mode how updates arrive
 * @param pollTimeout how long one {@code getUpdates} call waits for an update (0 to 50 s)
 * @param allowedUpdates the update types asked for; {@code message} at least
 * @param groupMode which messages in groups are answered
 * @param parseMode how outgoing text is formatted
 * @param quoteReplies when an answer quotes the message it answers
 * @param publicUrl where Telegram posts updates in webhook mode, or {@code null} in polling mode
 * @param webhookPath the path on Grambot's HTTP server that receives them
 * @param maxDownloadBytes the largest photo or file of a message that is downloaded; 0 downloads none
 * @param typing whether "typing…" is shown while the bot works on an answer
 * @param timeout the most a call may take (a long poll: this on top of its {@code pollTimeout})
 * @param maxRetries how often a call is repeated after a refused or dropped connection, 429 or 5xx
 */
record TelegramSettings(String baseUrl, Mode mode, Duration pollTimeout, List<String> allowedUpdates,
        GroupMode groupMode, ParseMode parseMode, QuoteReplies quoteReplies, URI publicUrl, String webhookPath,
        long maxDownloadBytes, boolean typing, Duration timeout, int maxRetries) {

    static final long MAX_POLL_TIMEOUT_SECONDS = 50;
    static final String MESSAGE = "message";
    static final String EDITED_MESSAGE = "edited_message";
    private static final Pattern UPDATE_TYPE = Pattern.compile("[a-z_]+");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    /** How updates arrive. */
    enum Mode {
        /** The connector asks ({@code getUpdates}, long polling): nothing has to be reachable from outside. */
        POLLING("polling"),
        /** Telegram posts each update to {@code publicUrl} ({@code setWebhook}), which must reach Grambot. */
        WEBHOOK("webhook");

        final String setting;

        Mode(String setting) {
            this.setting = setting;
        }
    }

    /** Which messages in groups and supergroups are answered (private chats always are). */
    enum GroupMode {
        /** Messages that mention the bot (@name), reply to one of its messages, or are commands. */
        MENTION("mention"),
        /** Every message the bot receives (with privacy mode on, Telegram sends only the above anyway). */
        ALL("all"),
        /** None. */
        OFF("off");

        final String setting;

        GroupMode(String setting) {
            this.setting = setting;
        }
    }

    /** How outgoing text is formatted. */
    enum ParseMode {
        /** Sent as it is: the model's Markdown shows as typed. */
        NONE("none", null),
        /** The model's Markdown becomes Telegram's MarkdownV2, everything else escaped. */
        MARKDOWN_V2("MarkdownV2", "MarkdownV2"),
        /** The model's Markdown becomes Telegram's HTML, everything else escaped. */
        HTML("HTML", "HTML");

        final String setting;
        /** The {@code parse_mode} parameter, or {@code null} for none. */
        final String parameter;

        ParseMode(String setting, String parameter) {
            this.setting = setting;
            this.parameter = parameter;
        }
    }

    /** When an answer quotes the message it answers ({@code reply_parameters}). */
    enum QuoteReplies {
        /** In groups, where several people talk; not in private chats, where it is clear. */
        GROUPS("groups"),
        ALWAYS("always"),
        NEVER("never");

        final String setting;

        QuoteReplies(String setting) {
            this.setting = setting;
        }

        boolean quote(long chatId) {
            // Telegram's user (private chat) ids are positive, group, supergroup and channel ids negative
            return this == ALWAYS || this == GROUPS && chatId < 0;
        }
    }

    TelegramSettings {
        baseUrl = checkBaseUrl(baseUrl);
        if (mode == null || groupMode == null || parseMode == null || quoteReplies == null) {
            throw new IllegalArgumentException("mode, groupMode, parseMode and quoteReplies must be given");
        }
        if (pollTimeout.isNegative() || pollTimeout.getSeconds() > MAX_POLL_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("setting 'pollTimeoutSeconds' must be from 0 to "
                    + MAX_POLL_TIMEOUT_SECONDS + ", was " + pollTimeout.getSeconds());
        }
        allowedUpdates = checkUpdates(allowedUpdates);
        if (mode == Mode.WEBHOOK) {
            publicUrl = checkPublicUrl(publicUrl);
        }
        if (webhookPath == null || !PATH.matcher(webhookPath).matches()) {
            throw new IllegalArgumentException("setting 'webhookPath' must be a path such as '/telegram/main', was '"
                    + webhookPath + "'");
        }
        if (maxDownloadBytes < 0) {
            throw new IllegalArgumentException("setting 'maxDownloadBytes' must be 0 or more, was " + maxDownloadBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be positive, was " + timeout.toSeconds());
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'maxRetries' must be 0 or more, was " + maxRetries);
        }
    }

    static TelegramSettings of(TelegramConnector.Config config, String instanceId) {
        String path = config.webhookPath() == null || config.webhookPath().isBlank() ? "/telegram/" + instanceId
                : config.webhookPath().strip();
        URI publicUrl = null;
        if (config.publicUrl() != null && !config.publicUrl().isBlank()) {
            publicUrl = uri("publicUrl", config.publicUrl().strip());
        }
        return new TelegramSettings(config.baseUrl(), choice("mode", Mode.values(), config.mode(), m -> m.setting),
                Duration.ofSeconds(config.pollTimeoutSeconds()),
                config.allowedUpdates() == null ? List.of() : Arrays.asList(config.allowedUpdates()),
                choice("groupMode", GroupMode.values(), config.groupMode(), m -> m.setting),
                choice("parseMode", ParseMode.values(), config.parseMode(), m -> m.setting),
                choice("quoteReplies", QuoteReplies.values(), config.quoteReplies(), m -> m.setting), publicUrl, path,
                config.maxDownloadBytes(), config.typing(), Duration.ofSeconds(config.timeoutSeconds()),
                config.maxRetries());
    }

    /** Whether edited messages are asked for, and so answered like new ones. */
    boolean answersEdits() {
        return allowedUpdates.contains(EDITED_MESSAGE);
    }

    /** The URL of a Bot API method for this token. */
    String methodUrl(String token, String method) {
        return baseUrl + "/bot" + token + "/" + method;
    }

    /** The URL of a file {@code getFile} named. */
    String fileUrl(String token, String filePath) {
        return baseUrl + "/file/bot" + token + "/" + filePath;
    }

    static <T extends Enum<T>> T choice(String setting, T[] values, String value,
            java.util.function.Function<T, String> name) {
        String given = value == null ? "" : value.strip();
        for (T candidate : values) {
            if (name.apply(candidate).equalsIgnoreCase(given)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("setting '" + setting + "' must be one of " + Arrays.stream(values)
                .map(v -> "'" + name.apply(v) + "'").collect(Collectors.joining(", ")) + ", was '" + value + "'");
    }

    private static String checkBaseUrl(String value) {
        String url = value == null ? "" : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting 'baseUrl' must be an http or https URL without query, such as "
                + "'https://api.telegram.org', was '" + value + "'");
    }

    private static URI checkPublicUrl(URI url) {
        if (url == null) {
            throw new IllegalArgumentException("setting 'publicUrl' is needed in webhook mode: the https URL at "
                    + "which Telegram reaches this instance's webhook path, such as 'https://bot.example.org/telegram/main'");
        }
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getFragment() != null) {
            throw new IllegalArgumentException("setting 'publicUrl' must be an https URL (Telegram posts only to "
                    + "https), was '" + url + "'");
        }
        return url;
    }

    private static URI uri(String setting, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("setting '" + setting + "' must be a URL, was '" + value + "'");
        }
    }

    /** Comma-separated values are split (a value from a configuration file may hold several); never empty. */
    private static List<String> checkUpdates(List<String> given) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : given == null ? List.<String>of() : given) {
            for (String type : value == null ? new String[0] : value.split(",")) {
                String t = type.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (!UPDATE_TYPE.matcher(t).matches()) {
                    throw new IllegalArgumentException("setting 'allowedUpdates' must list update types such as "
                            + "'message' or 'edited_message', had '" + t + "'");
                }
                types.add(t);
            }
        }
        List<String> result = new ArrayList<>();
        result.add(MESSAGE); // what the connector is for; an empty list would mean "all types" to Telegram
        types.stream().filter(t -> !t.equals(MESSAGE)).forEach(result::add);
        return List.copyOf(result);
    }
}
