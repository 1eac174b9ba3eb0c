package io.grambot.runtime.launcher;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built distribution (target/grambot/bin/grambot) started as a user would, in a working directory, and an HTTP
 * client for its console (loopback, on a free port; it keeps cookies, so a console session lasts across requests).
 * Waiting is bounded polling that fails with the process log.
 */
public final class RunningDistribution implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    public static final Path DISTRIBUTION = Path.of(System.getProperty("grambot.distribution", "target/grambot"));

    private final Path work;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .cookieHandler(new CookieManager()).build();
    private Process process;

    public RunningDistribution(Path work) throws IOException {
        this.work = work;
        this.port = freePort();
    }

    public Path work() {
        return work;
    }

    public int port() {
        return port;
    }

    /** The data directory ({@code .scout} in the working directory). */
    public Path data() {
        return work.resolve(".scout");
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts {@code bin/grambot}, appending its output to {@code grambot.log} in the working directory. */
    public void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(DISTRIBUTION.resolve("bin/grambot").toAbsolutePath().toString())
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("grambot.log").toFile()));
        builder.environment().remove("GRAMBOT_ADMIN_PASSWORD");
        builder.environment().put("GRAMBOT_HTTP_PORT", Integer.toString(port));
        process = builder.start();
    }

    /** Stops it as a service manager would (SIGTERM); says whether it ended within {@code timeout}. */
    public boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive() && !stop(Duration.ofSeconds(20))) {
            process.destroyForcibly();
        }
    }

    /** The console password generated on first start. */
    public String awaitPassword() throws Exception {
        Path file = data().resolve("console-password");
        awaitFile(file, content -> !content.isBlank());
        return Files.readString(file).strip();
    }

    public HttpResponse<String> get(String path, String password) throws IOException, InterruptedException {
        return send(request(path, password).GET());
    }

    public HttpResponse<String> post(String path, String password, String form)
            throws IOException, InterruptedException {
        return send(request(path, password).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the console, with the admin login if a password is given. */
    public HttpRequest.Builder request(String path, String password) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin() + path))
                .timeout(Duration.ofSeconds(10));
        if (password != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    /** {@code http://127.0.0.1:<port>}, what a browser sends as Origin for the console's pages. */
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> awaitResponse(String path, String password, Predicate<HttpResponse<String>> condition)
            throws Exception {
        return await("GET " + path + " answers as expected", () -> {
            try {
                HttpResponse<String> response = get(path, password);
                return condition.test(response) ? Optional.of(response) : Optional.empty();
            } catch (IOException notListeningYet) {
                return Optional.empty();
            }
        });
    }

    public void awaitFile(Path file, Predicate<String> condition) throws Exception {
        await(file + " has the expected content", () -> {
            try {
                return Files.exists(file) && condition.test(Files.readString(file)) ? Optional.of(file)
                        : Optional.empty();
            } catch (IOException beingWritten) {
                return Optional.empty();
            }
        });
    }

    public interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    /** Bounded polling; fails with the process log so a broken start explains itself. */
    public <T> T await(String what, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Optional<T> result = probe.poll();; result = probe.poll()) {
            if (result.isPresent()) {
                return result.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("Grambot exited (" + process.exitValue() + ") while waiting until " + what
                        + "\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "\n" + log());
            }
            Thread.sleep(25); // polling interval of a bounded wait
        }
    }

    public String log() throws IOException {
        return Files.readString(work.resolve("grambot.log"));
    }

    static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
