package io.grambot.plugin.brave.search.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One search, checked: the model's arguments with the instance's defaults filled in, ready to become the query
 * parameters of {@code GET /res/v1/web/search}.
 *
 * @param query the search terms
 * @param count how many results to ask for, 1 to 20
 * @param country the country code (upper case), or empty for Brave's default
 * @param searchLang the language code (lower case), or empty for Brave's default
 * @param safesearch {@code off}, {@code moderate} or {@code strict}
 * @param freshness {@code pd}, {@code pw}, {@code pm}, {@code py}, a range {@code YYYY-MM-DDtoYYYY-MM-DD}, or empty
 */
record SearchArguments(String query, int count, String country, String searchLang, String safesearch,
        String freshness) {

    static final String QUERY = "query";
    static final String COUNT = "count";
    static final String COUNTRY = "country";
    static final String SEARCH_LANG = "search_lang";
    static final String SAFESEARCH = "safesearch";
    static final String FRESHNESS = "freshness";
    static final List<String> NAMES = List.of(QUERY, COUNT, COUNTRY, SEARCH_LANG, SAFESEARCH, FRESHNESS);

    /** Brave's limits on {@code q}. */
    static final int MAX_QUERY_LENGTH = 400;
    static final int MAX_QUERY_WORDS = 50;

    static final List<String> FRESHNESS_PERIODS = List.of("pd", "pw", "pm", "py");
    static final Pattern DATE_RANGE = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})to(\\d{4}-\\d{2}-\\d{2})$");

    private static final String FRESHNESS_FORMS = "pd (past day), pw (past week), pm (past month), py (past year) "
            + "or a date range YYYY-MM-DDtoYYYY-MM-DD";

    /**
     * The search the model asked for.
     *
     * @param arguments the tool call's arguments; a {@code null} or blank optional argument counts as absent
     * @throws IllegalArgumentException naming every argument that is wrong, what it should be and what it was
     */
    static SearchArguments of(Map<String, Object> arguments, BraveSettings defaults) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        List<String> problems = new ArrayList<>();
        for (String name : args.keySet()) {
            if (!NAMES.contains(name)) {
                problems.add("unknown argument '" + name + "' (the arguments are " + String.join(", ", NAMES) + ")");
            }
        }
        String query = query(args.get(QUERY), problems);
        int count = count(args.get(COUNT), defaults.defaultCount(), problems);
        String country = text(args, COUNTRY, defaults.country(), problems);
        if (!country.isEmpty() && !BraveSettings.COUNTRY.matcher(country).matches()) {
            problems.add("argument 'country' must be a two-letter country code such as US, DE or GB, or ALL, was "
                    + quoted(country));
        }
        String searchLang = text(args, SEARCH_LANG, defaults.searchLang(), problems);
        if (!searchLang.isEmpty() && !BraveSettings.LANGUAGE.matcher(searchLang).matches()) {
            problems.add("argument 'search_lang' must be a language code such as en, de, fr or pt-br, was "
                    + quoted(searchLang));
        }
        String safesearch = text(args, SAFESEARCH, defaults.safesearch(), problems).toLowerCase(Locale.ROOT);
        if (!BraveSettings.SAFESEARCH.contains(safesearch)) {
            problems.add("argument 'safesearch' must be 'off', 'moderate' or 'strict', was " + quoted(safesearch));
        }
        String freshness = freshness(text(args, FRESHNESS, "", problems), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new SearchArguments(query, count, country.toUpperCase(Locale.ROOT),
                searchLang.toLowerCase(Locale.ROOT), safesearch, freshness);
    }

    /** The query parameters in the order they are sent; empty optional ones are left out. */
    Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("q", query);
        parameters.put("count", Integer.toString(count));
        if (!country.isEmpty()) {
            parameters.put("country", country);
        }
        if (!searchLang.isEmpty()) {
            parameters.put("search_lang", searchLang);
        }
        parameters.put("safesearch", safesearch);
        if (!freshness.isEmpty()) {
            parameters.put("freshness", freshness);
        }
        return Collections.unmodifiableMap(parameters);
    }

    /** Whether the search narrows the results beyond the words: a freshness, country or language filter. */
    boolean filtered() {
        return !freshness.isEmpty() || !country.isEmpty() && !country.equals("ALL") || !searchLang.isEmpty();
    }

    private static String query(Object value, List<String> problems) {
        if (value == null) {
            problems.add("argument 'query' is required: the words to search for");
            return "";
        }
        if (!(value instanceof String text)) {
            problems.add("argument 'query' must be a string, was " + describe(value));
            return "";
        }
        String query = text.strip().replaceAll("\\s+", " ");
        if (query.isEmpty()) {
            problems.add("argument 'query' must not be empty");
        } else if (query.length() > MAX_QUERY_LENGTH) {
            problems.add("argument 'query' must be at most " + MAX_QUERY_LENGTH + " characters, was "
                    + query.length());
        } else if (query.split(" ").length > MAX_QUERY_WORDS) {
            problems.add("argument 'query' must have at most " + MAX_QUERY_WORDS + " words, had "
                    + query.split(" ").length);
        }
        return query;
    }

    /** An integer count; a whole number in a string ({@code "5"}) or a double ({@code 5.0}) is taken too. */
    private static int count(Object value, int defaultCount, List<String> problems) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return defaultCount;
        }
        Long whole = null;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            whole = ((Number) value).longValue();
        } else if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && Math.abs(number.doubleValue()) < 1e9) { // 5.0, a BigDecimal 5, a BigInteger
            whole = (long) number.doubleValue();
        } else if (value instanceof String s && s.strip().matches("^[0-9]{1,9}$")) {
            whole = Long.parseLong(s.strip());
        }
        if (whole == null || whole < 1 || whole > BraveSettings.MAX_COUNT) {
            problems.add("argument 'count' must be an integer from 1 to " + BraveSettings.MAX_COUNT + ", was "
                    + describe(value));
            return defaultCount;
        }
        return whole.intValue();
    }

    /** An optional string argument, stripped, or {@code fallback} when it is absent or blank. */
    private static String text(Map<String, Object> args, String name, String fallback, List<String> problems) {
        Object value = args.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            problems.add("argument '" + name + "' must be a string, was " + describe(value));
            return fallback;
        }
        return text.isBlank() ? fallback : text.strip();
    }

    private static String freshness(String value, List<String> problems) {
        if (value.isEmpty()) {
            return "";
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (FRESHNESS_PERIODS.contains(lower)) {
            return lower;
        }
        Matcher range = DATE_RANGE.matcher(lower);
        if (!range.matches()) {
            problems.add("argument 'freshness' must be " + FRESHNESS_FORMS + ", was " + quoted(value));
            return "";
        }
        LocalDate from = date(range.group(1), value, problems);
        LocalDate to = date(range.group(2), value, problems);
        if (from != null && to != null && from.isAfter(to)) {
            problems.add("argument 'freshness' must start no later than it ends, was " + quoted(value));
        }
        return lower;
    }

    private static LocalDate date(String text, String value, List<String> problems) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problems.add("argument 'freshness' has a date that does not exist, " + text + ", in " + quoted(value)
                    + " (expected YYYY-MM-DDtoYYYY-MM-DD)");
            return null;
        }
    }

    /** A value as an error message shows it: its JSON type, and the value itself if it is short. */
    static String describe(Object value) {
        if (value instanceof String s) {
            return quoted(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return (value instanceof Boolean ? "the boolean " : "the number ") + value;
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List || value != null && value.getClass().isArray()) {
            return "an array";
        }
        return value == null ? "nothing" : "a " + value.getClass().getSimpleName();
    }

    private static String quoted(String text) {
        return "'" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
    }
}
