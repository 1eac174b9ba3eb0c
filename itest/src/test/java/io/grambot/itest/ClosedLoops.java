package io.grambot.itest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A latency measurement: {@code concurrent} conversations, each taking {@code turns} turns one after another (a
 * turn starts when the last is answered), all at once. Prints p50, p99, max and turns per second on one line.
 */
final class ClosedLoops {

    /** One turn of one conversation; returns how long it took, in nanoseconds. */
    @FunctionalInterface
    interface Turn {
        long take(int conversation, int turn) throws Exception;
    }

    private ClosedLoops() {}

    static long[] measure(String what, int concurrent, int turns, Turn turn) throws Exception {
        ExecutorService people = Executors.newFixedThreadPool(concurrent);
        try {
            List<Future<long[]>> timings = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < concurrent; c++) {
                int conversation = c;
                timings.add(people.submit(() -> {
                    long[] latencies = new long[turns];
                    for (int n = 0; n < turns; n++) {
                        latencies[n] = turn.take(conversation, n);
                    }
                    return latencies;
                }));
            }
            long[] all = new long[concurrent * turns];
            int i = 0;
            for (Future<long[]> f : timings) {
                for (long latency : f.get()) {
                    all[i++] = latency;
                }
            }
            long elapsed = System.nanoTime() - started;
            Arrays.sort(all);
            System.out.printf("%s, %3d conversations x %3d turns: p50 %7.3f ms, p99 %7.3f ms, max %7.3f ms, %6.0f"
                    + " turns/s%n", what, concurrent, turns, all[all.length / 2] / 1e6,
                    all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6, all.length / (elapsed / 1e9));
            return all;
        } finally {
            people.shutdownNow();
        }
    }
}
