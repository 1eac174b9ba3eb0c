package io.grambot.plugin.brave.search.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.api.tool.ToolResult;

/**
 * Brave's web results as a model reads them: a short numbered list (title, URL, snippet, age) that stays within a
 * budget of characters, with the same results as structured data beside it.
 *
 * @param query the query as it was sent
 * @param altered the query Brave searched for instead (a spelling correction), or {@code null}
 * @param results the web results in Brave's order
 */
record SearchResults(String query, String altered, List<Result> results) {

    /** The longest title shown. */
    static final int MAX_TITLE = 150;
    /** The longest snippet shown. */
    static final int MAX_DESCRIPTION = 300;
    /** The most characters of the whole text: about a thousand tokens of a model's context. */
    static final int MAX_TEXT = 4000;

    /**
     * One web result, as plain text.
     *
     * @param title the page title, without markup
     * @param url the page's address
     * @param description the snippet, without markup, or empty
     * @param age how old the page is as Brave says it ({@code 2 days ago}, {@code March 4, 2024}), or empty
     */
    record Result(String title, String url, String description, String age) {

        Map<String, Object> data() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("title", title);
            data.put("url", url);
            data.put("description", description);
            data.put("age", age);
            return Collections.unmodifiableMap(data);
        }
    }

    SearchResults {
        results = List.copyOf(results);
    }

    /**
     * Reads Brave's answer: {@code {"type":"search","query":{"original"},"web":{"results":[{"title","url",
     * "description","age","page_age","extra_snippets"}]}}}. An answer without {@code web} (Brave found nothing) has
     * no results; a result without a URL is left out.
     *
     * @param what the request, for the message when the answer is not an object
     */
    static SearchResults read(JsonNode answer, String query, String what) throws PluginException {
        if (answer == null || !answer.isObject()) {
            throw new PluginException("expected a search answer {\"type\":\"search\",\"web\":{\"results\":[...]}} "
                    + "from " + what + ", found " + describe(answer));
        }
        if (text(answer.get("type")).equals("ErrorResponse")) {
            throw new PluginException(what + " answered with an error: " + BraveConnection.error(answer)
                    .map(e -> e.message() + (e.code() == null ? "" : " (" + e.code() + ")")).orElse(describe(answer)));
        }
        String altered = Html.text(text(answer.path("query").get("altered")));
        List<Result> results = new ArrayList<>();
        for (JsonNode item : answer.path("web").path("results")) {
            String url = text(item.get("url")).replaceAll("[\\s\\p{Cc}]", "");
            if (url.isEmpty()) {
                continue;
            }
            String description = Html.text(text(item.get("description")));
            if (description.isEmpty()) {
                description = Html.text(text(item.path("extra_snippets").get(0)));
            }
            results.add(new Result(Html.text(text(item.get("title"))), url, description, age(item)));
        }
        return new SearchResults(query, altered.isEmpty() || altered.equals(query) ? null : altered, results);
    }

    /** The tool's answer: the list for the model, the results and the query as data. */
    ToolResult toolResult(SearchArguments search) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query", query);
        if (altered != null) {
            data.put("alteredQuery", altered);
        }
        data.put("results", results.stream().map(Result::data).toList());
        return new ToolResult(text(search), Collections.unmodifiableMap(data), List.of(), false);
    }

    /**
     * <pre>
     * Brave Search results for "query":
     * 1. Title — https://example.org/page
     *    The snippet, cut at 300 characters… (2 days ago)
     * </pre>
     * Entries that would take the text past {@value #MAX_TEXT} characters are left out and counted at the end.
     */
    String text(SearchArguments search) {
        if (results.isEmpty()) {
            return "No results for \"" + query + "\" on Brave Search."
                    + (search.filtered() ? " Try fewer or other words, or drop the freshness, country or language "
                            + "filter." : " Try fewer or other words.");
        }
        StringBuilder text = new StringBuilder("Brave Search results for \"" + (altered == null ? query : altered)
                + "\"" + (altered == null ? "" : " (searched instead of \"" + query + "\")") + ":");
        int shown = 0;
        for (Result result : results) {
            String entry = entry(shown + 1, result);
            if (shown > 0 && text.length() + entry.length() > MAX_TEXT) {
                break;
            }
            text.append(entry);
            shown++;
        }
        if (shown < results.size()) {
            int left = results.size() - shown;
            text.append("\n(").append(left).append(left == 1 ? " more result" : " more results")
                    .append(" left out to keep this short)");
        }
        return text.toString();
    }

    private static String entry(int number, Result result) {
        String title = result.title().isEmpty() ? result.url() : Html.cap(result.title(), MAX_TITLE);
        StringBuilder entry = new StringBuilder("\n").append(number).append(". ").append(title).append(" — ")
                .append(result.url());
        String description = Html.cap(result.description(), MAX_DESCRIPTION);
        String age = result.age().isEmpty() ? "" : "(" + result.age() + ")";
        if (!description.isEmpty() || !age.isEmpty()) {
            entry.append("\n   ").append(description).append(description.isEmpty() || age.isEmpty() ? "" : " ")
                    .append(age);
        }
        return entry.toString();
    }

    /** Brave's {@code age} ({@code 2 days ago}), or the date of its {@code page_age} ({@code 2024-03-04T...}). */
    private static String age(JsonNode item) {
        String age = Html.text(text(item.get("age")));
        if (!age.isEmpty()) {
            return Html.cap(age, 40);
        }
        String pageAge = Html.text(text(item.get("page_age")));
        return pageAge.matches("^\\d{4}-\\d{2}-\\d{2}.*") ? pageAge.substring(0, 10) : Html.cap(pageAge, 40);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : "";
    }

    /** A short description of a node for an error message: its fields, or an excerpt of its text. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            StringBuilder fields = new StringBuilder("an object with fields [");
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                fields.append(names.next()).append(names.hasNext() ? ", " : "");
            }
            return fields.append(']').toString();
        }
        String text = node.toString();
        return (node.isArray() ? "an array: " : "") + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
