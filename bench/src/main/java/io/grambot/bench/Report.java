package io.grambot.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Prints one table from a JMH JSON result file ({@code -rf json}): each Grambot figure beside its baseline, the
 * ratio, the goal and whether it is met. {@code java -cp benchmarks.jar io.grambot.bench.Report results.json}.
 */
public final class Report {

    private final JsonNode results;
    private final List<String[]> rows = new ArrayList<>();

    private Report(JsonNode results) {
        this.results = results;
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report(new ObjectMapper().readTree(new File(args[0])));
        report.eventQueue();
        report.dispatch();
        report.botTurns();
        report.print();
    }

    private void eventQueue() {
        for (int producers : new int[] { 1, 4 }) {
            Double memory = score("EventQueueBench.grambot" + producers, "MEMORY");
            Double bare = score("QueueBaselineBench.handOff" + producers, null);
            if (memory != null && bare != null) {
                double ratio = memory / bare;
                rows.add(new String[] { "event queue, in memory, " + producers + " producer(s)", perSecond(memory),
                        "ArrayBlockingQueue " + perSecond(bare), x(ratio), "≥ 0.5× and ≥ 1M/s",
                        met(ratio >= 0.5 && memory >= 1_000_000) });
            }
            Double journal = score("EventQueueBench.grambot" + producers, "JOURNAL");
            Double append = score("QueueBaselineBench.append" + producers, null);
            if (journal != null && append != null) {
                rows.add(new String[] { "event queue, journaled, " + producers + " producer(s)", perSecond(journal),
                        "FileChannel append " + perSecond(append), x(journal / append), "≥ 100k/s, nothing lost",
                        met(journal >= 100_000) });
            }
        }
    }

    private void dispatch() {
        for (String kind : new String[] { "tool", "inference" }) {
            Double registry = score("DispatchBench." + kind + "ThroughRegistry", null);
            Double direct = score("DispatchBench." + kind + "Direct", null);
            if (registry != null && direct != null) {
                Double bytes = secondary("DispatchBench." + kind + "ThroughRegistry", "gc.alloc.rate.norm");
                Double directBytes = secondary("DispatchBench." + kind + "Direct", "gc.alloc.rate.norm");
                String allocation = bytes == null ? "" : String.format(Locale.ROOT, ", %.1f B/op (direct %.1f)",
                        bytes, directBytes == null ? 0 : directBytes);
                double ratio = registry / direct;
                boolean noAllocation = bytes == null || bytes - (directBytes == null ? 0 : directBytes) < 1;
                rows.add(new String[] { kind + " call through the registry", ns(registry) + allocation,
                        "direct call " + ns(direct), x(ratio), "≤ 2×, no allocation", met(ratio <= 2 && noAllocation) });
            }
        }
    }

    private void botTurns() {
        JsonNode direct = find("BotTurnBench.directTurn", null);
        for (JsonNode result : results) {
            String name = result.path("benchmark").asText();
            int at = name.lastIndexOf("BotTurnBench.turn");
            if (at < 0) {
                continue;
            }
            String conversations = name.substring(at + "BotTurnBench.turn".length());
            double p50 = millis(result, "50.0");
            double p99 = millis(result, "99.0");
            double mean = result.path("primaryMetric").path("score").asDouble() * toMillis(result);
            // closed loops: each conversation has one turn in flight, so turns/s = conversations / mean latency
            double rate = Integer.parseInt(conversations) / (mean / 1000);
            rows.add(new String[] { "bot turn, " + conversations + " conversation(s)",
                    String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms, %,.0f turns/s", p50, p99, rate),
                    direct == null ? "" : String.format(Locale.ROOT, "same calls direct: p50 %.4f ms, p99 %.4f ms",
                            millis(direct, "50.0"), millis(direct, "99.0")),
                    "", "p99 overhead ≤ 1 ms at 100", conversations.equals("100") ? met(p99 <= 1) : "" });
        }
    }

    private static double millis(JsonNode result, String percentile) {
        return result.path("primaryMetric").path("scorePercentiles").path(percentile).asDouble() * toMillis(result);
    }

    private static double toMillis(JsonNode result) {
        String unit = result.path("primaryMetric").path("scoreUnit").asText();
        return unit.startsWith("us") ? 1e-3 : unit.startsWith("ns") ? 1e-6 : unit.startsWith("s/") ? 1e3 : 1;
    }

    private Double score(String benchmark, String mode) {
        JsonNode result = find(benchmark, mode);
        return result == null ? null : result.path("primaryMetric").path("score").asDouble();
    }

    private Double secondary(String benchmark, String metric) {
        JsonNode result = find(benchmark, null);
        return result == null ? null : secondaryOf(result, metric);
    }

    private static Double secondary(JsonNode result, String metric) {
        return secondaryOf(result, metric);
    }

    private static Double secondaryOf(JsonNode result, String metric) {
        JsonNode value = result.path("secondaryMetrics").path(metric).path("score");
        return value.isMissingNode() ? null : value.asDouble();
    }

    private JsonNode find(String benchmark, String mode) {
        for (JsonNode result : results) {
            if (result.path("benchmark").asText().endsWith(benchmark)
                    && (mode == null || mode.equals(result.path("params").path("mode").asText()))) {
                return result;
            }
        }
        return null;
    }

    private void print() {
        String[] header = { "what", "Grambot", "baseline", "ratio", "goal", "met" };
        int[] widths = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            out.append('|');
            for (int i = 0; i < header.length; i++) {
                out.append(' ').append(String.format("%-" + widths[i] + "s", all.get(r)[i])).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append('|');
                for (int width : widths) {
                    out.append("-".repeat(width + 2)).append('|');
                }
                out.append('\n');
            }
        }
        System.out.print(out);
    }

    private static String perSecond(double value) {
        return value >= 1_000_000 ? String.format(Locale.ROOT, "%.2f M/s", value / 1e6)
                : String.format(Locale.ROOT, "%.0f k/s", value / 1e3);
    }

    private static String ns(double value) {
        return String.format(Locale.ROOT, "%.2f ns", value);
    }

    private static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String met(boolean met) {
        return met ? "yes" : "NO";
    }
}
