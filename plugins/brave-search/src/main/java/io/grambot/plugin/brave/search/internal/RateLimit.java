package io.grambot.plugin.brave.search.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rate limits Brave reports with every answer, one window per comma-separated value of its headers, shortest
 * first: {@code X-RateLimit-Limit: 1, 15000}, {@code X-RateLimit-Policy: 1;w=1, 15000;w=2592000},
 * {@code X-RateLimit-Remaining: 0, 14200}, {@code X-RateLimit-Reset: 1, 1419704} (seconds until each window resets).
 *
 * @param windows the windows in the order of the headers, at least one
 * @param observed when the answer carrying them arrived
 */
record RateLimit(List<Window> windows, Instant observed) {

    /** A window that lasts a day or more counts as the plan's monthly quota. */
    private static final long QUOTA_WINDOW_SECONDS = 86_400;

    /**
     * One window of the plan.
     *
     * @param limit how many requests it allows
     * @param remaining how many of them are left
     * @param reset how long until it starts again
     * @param length how long the window is, or {@link Duration#ZERO} when Brave did not say (no policy header)
     */
    record Window(long limit, long remaining, Duration reset, Duration length) {}

    RateLimit {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a rate limit needs at least one window");
        }
    }

    /**
     * The windows in an answer's headers, or empty when it has none, or they do not fit together (a value that is not
     * a number, or lists of different lengths): then nothing is known.
     */
    static Optional<RateLimit> from(HttpHeaders headers, Instant observed) {
        Optional<List<Long>> limits = numbers(headers, "x-ratelimit-limit");
        Optional<List<Long>> remaining = numbers(headers, "x-ratelimit-remaining");
        Optional<List<Long>> resets = numbers(headers, "x-ratelimit-reset");
        if (limits.isEmpty() || remaining.isEmpty() || resets.isEmpty()) {
            return Optional.empty();
        }
        int size = limits.get().size();
        if (remaining.get().size() != size || resets.get().size() != size) {
            return Optional.empty();
        }
        List<Long> lengths = policyWindows(headers.firstValue("x-ratelimit-policy").orElse(""), size);
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            windows.add(new Window(limits.get().get(i), remaining.get().get(i),
                    Duration.ofSeconds(resets.get().get(i)), Duration.ofSeconds(lengths.get(i))));
        }
        return Optional.of(new RateLimit(windows, observed));
    }

    /**
     * The plan's monthly quota: the window the policy gives a day or more; without a policy, the last of two or more
     * windows (Brave lists the per-second one first).
     */
    Optional<Window> quota() {
        boolean lengthsKnown = windows.stream().noneMatch(w -> w.length().isZero());
        if (lengthsKnown) {
            return windows.stream().filter(w -> w.length().toSeconds() >= QUOTA_WINDOW_SECONDS)
                    .reduce((first, second) -> second);
        }
        return windows.size() > 1 ? Optional.of(windows.get(windows.size() - 1)) : Optional.empty();
    }

    /** Whether the monthly quota has no request left. */
    boolean quotaUsedUp() {
        return quota().map(w -> w.remaining() <= 0).orElse(false);
    }

    /** How long from {@code now} until the monthly quota resets, if Brave reported one. */
    Optional<Duration> untilQuotaReset(Instant now) {
        return quota().map(w -> {
            Duration left = Duration.between(now, observed.plus(w.reset()));
            return left.isNegative() ? Duration.ZERO : left;
        });
    }

    /**
     * How long to wait before a refused (429) request may succeed: until the monthly quota resets when it is used
     * up, else until the shortest exhausted window resets (the per-second one, when several requests ran at once),
     * and at least a second.
     */
    Duration retryAfter() {
        if (quotaUsedUp()) {
            return quota().orElseThrow().reset();
        }
        Optional<Window> quota = quota();
        Duration wait = windows.stream().filter(w -> quota.isEmpty() || w != quota.get())
                .filter(w -> w.remaining() <= 0).map(Window::reset).min(Duration::compareTo)
                .orElse(windows.get(0).reset());
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    /** What the plan allows, as people read it: {@code 1 request per second and 15000 per month}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Window window : windows) {
            String per = per(window);
            parts.add((parts.isEmpty() ? window.limit() + (window.limit() == 1 ? " request" : " requests")
                    : Long.toString(window.limit())) + (per.isEmpty() ? "" : " " + per));
        }
        return String.join(" and ", parts);
    }

    private String per(Window window) {
        long seconds = window.length().toSeconds();
        if (window.length().isZero()) {
            Optional<Window> quota = quota();
            return quota.isPresent() && quota.get() == window ? "per month" : "";
        }
        if (seconds >= QUOTA_WINDOW_SECONDS * 28) {
            return "per month";
        }
        return switch ((int) Math.min(seconds, Integer.MAX_VALUE)) {
            case 1 -> "per second";
            case 60 -> "per minute";
            case 3600 -> "per hour";
            case 86_400 -> "per day";
            default -> "per " + seconds + " s";
        };
    }

    /** A duration as a person reads a long wait: {@code 17 days}, {@code 1 day}, {@code 5 hours}, {@code 3 minutes}. */
    static String describe(Duration wait) {
        long seconds = Math.max(0, (wait.toMillis() + 999) / 1000); // 86399.9 s is a day
        if (seconds >= 86_400) {
            long days = (seconds + 86_399) / 86_400;
            return days + (days == 1 ? " day" : " days");
        }
        if (seconds >= 3_600) {
            long hours = (seconds + 3_599) / 3_600;
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = Math.max(1, (seconds + 59) / 60);
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }

    private static Optional<List<Long>> numbers(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        if (value.isEmpty() || value.get().isBlank()) {
            return Optional.empty();
        }
        List<Long> numbers = new ArrayList<>();
        for (String part : value.get().split(",")) {
            String number = part.strip();
            if (!number.matches("^[0-9]{1,18}$")) {
                return Optional.empty();
            }
            numbers.add(Long.parseLong(number));
        }
        return Optional.of(numbers);
    }

    /** The window lengths of {@code 1;w=1, 15000;w=2592000}; zeros when the policy is missing or does not fit. */
    private static List<Long> policyWindows(String policy, int size) {
        List<Long> lengths = new ArrayList<>();
        String[] parts = policy.isBlank() ? new String[0] : policy.split(",");
        if (parts.length == size) {
            for (String part : parts) {
                long length = 0;
                for (String parameter : part.split(";")) {
                    String p = parameter.strip().toLowerCase(Locale.ROOT);
                    if (p.startsWith("w=") && p.substring(2).matches("^[0-9]{1,18}$")) {
                        length = Long.parseLong(p.substring(2));
                    }
                }
                lengths.add(length);
            }
        }
        while (lengths.size() < size) {
            lengths.add(0L);
        }
        if (lengths.contains(0L)) { // all or nothing: a partly understood policy would mislabel the windows
            return lengths.stream().map(length -> 0L).toList();
        }
        return lengths;
    }
}
