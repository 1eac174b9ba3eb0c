package io.grambot.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the built distribution (target/grambot/bin/grambot) as a user would, in an empty working directory, and
 * drives it over HTTP: console login, hot deploy of the sample plugin, an instance from a configuration file, a
 * console edit written back to that file, and a restart that keeps everything.
 */
class DistributionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path DISTRIBUTION = Path.of(System.getProperty("grambot.distribution", "target/grambot"));

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process grambot;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (grambot != null && grambot.isAlive()) {
            grambot.destroy();
            if (!grambot.waitFor(20, TimeUnit.SECONDS)) {
                grambot.destroyForcibly();
            }
        }
    }

    @Test
    void startsWithAGeneratedLoginHotDeploysAndKeepsEditsAcrossRestart() throws Exception {
        port = freePort();
        long startedAt = System.nanoTime();
        start();
        String password = awaitPasswordFile();
        awaitResponse("/system/console/bundles.json", password, r -> r.statusCode() == 200);
        long consoleReadyMs = millisSince(startedAt);
        awaitFile(work.resolve("grambot.log"), log -> log.contains("generated console password: " + password));

        // never admin/admin, never anonymous
        assertThat(get("/system/console/bundles.json", null).statusCode()).isEqualTo(401);
        assertThat(get("/system/console/bundles.json", "admin").statusCode()).isEqualTo(401);
        assertThat(password).hasSize(20);
        assertThat(get("/system/console/bundles.json", password).body()).contains("all", "bundles active");
        assertNotReachableOnOtherInterfaces();

        // hot deploy: the sample plugin jar dropped into deploy/ becomes an active bundle
        long copiedAt = System.nanoTime();
        Files.copy(DISTRIBUTION.resolve("samples/echo-plugin.jar"), work.resolve("deploy/echo-plugin.jar"));
        awaitResponse("/system/console/bundles/io.grambot.plugin.echo.json", password,
                r -> r.statusCode() == 200 && r.body().contains("\"state\":\"Active\""));
        long deployMs = millisSince(copiedAt);

        // an instance from a configuration file publishes the plugin's services under its pid
        long fileAt = System.nanoTime();
        Files.writeString(work.resolve("etc/echo-greeter.cfg"), "toolName=greet\n");
        awaitResponse("/system/console/services.json", password, r -> r.body().contains("\"pid\":\"echo~greeter\""));
        long instanceMs = millisSince(fileAt);

        // an edit in the console (posted as its configuration form does) is written back to the file
        HttpResponse<String> saved = post("/system/console/configMgr/echo~greeter", password,
                "apply=true&action=ajaxConfigManager&propertylist=felix.fileinstall.filename,enabled,toolName,prefix"
                        + "&enabled=true&toolName=welcome&prefix=");
        assertThat(saved.statusCode()).isIn(200, 302);
        awaitFile(work.resolve("etc/echo-greeter.cfg"), content -> content.contains("welcome"));

        // restart: same password, plugin and edited instance come back from deploy/ and etc/
        grambot.destroy();
        assertThat(grambot.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        long restartAt = System.nanoTime();
        start();
        awaitResponse("/system/console/configMgr/echo~greeter.json", password,
                r -> r.statusCode() == 200 && r.body().contains("\"value\":\"welcome\""));
        awaitResponse("/system/console/services.json", password, r -> r.body().contains("\"pid\":\"echo~greeter\""));
        long restartMs = millisSince(restartAt);
        assertThat(Files.readString(work.resolve(".scout/console-password")).strip()).isEqualTo(password);

        System.out.printf("distribution: cold start to web console ready %d ms; jar copy to bundle active %d ms;"
                + " config file to instance service %d ms; restart to instance back %d ms%n", consoleReadyMs,
                deployMs, instanceMs, restartMs);
    }

    private void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(DISTRIBUTION.resolve("bin/grambot").toAbsolutePath().toString())
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("grambot.log").toFile()));
        builder.environment().remove("GRAMBOT_ADMIN_PASSWORD");
        builder.environment().put("GRAMBOT_HTTP_PORT", Integer.toString(port));
        grambot = builder.start();
    }

    private String awaitPasswordFile() throws Exception {
        Path file = work.resolve(".scout/console-password");
        awaitFile(file, content -> !content.isBlank());
        return Files.readString(file).strip();
    }

    private void assertNotReachableOnOtherInterfaces() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 1_000);
                        throw new AssertionError("the console answers on " + address + ", not only on loopback");
                    } catch (IOException refused) {
                        // expected: bound to 127.0.0.1 only
                    }
                }
            }
        }
    }

    private HttpResponse<String> get(String path, String password) throws IOException, InterruptedException {
        return http.send(request(path, password).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String password, String form)
            throws IOException, InterruptedException {
        return http.send(request(path, password).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String password) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (password != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private void awaitResponse(String path, String password, Predicate<HttpResponse<String>> condition)
            throws Exception {
        await("GET " + path + " answers as expected", () -> {
            try {
                HttpResponse<String> response = get(path, password);
                return condition.test(response) ? Optional.of(response) : Optional.empty();
            } catch (IOException notListeningYet) {
                return Optional.empty();
            }
        });
    }

    private void awaitFile(Path file, Predicate<String> condition) throws Exception {
        await(file + " has the expected content", () -> {
            try {
                return Files.exists(file) && condition.test(Files.readString(file)) ? Optional.of(file)
                        : Optional.empty();
            } catch (IOException beingWritten) {
                return Optional.empty();
            }
        });
    }

    interface Probe {
        Optional<?> poll() throws Exception;
    }

    // bounded polling; fails with the process log so a broken start explains itself
    private void await(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (probe.poll().isEmpty()) {
            if (!grambot.isAlive()) {
                throw new AssertionError("Grambot exited (" + grambot.exitValue() + ") while waiting until " + what
                        + "\n" + Files.readString(work.resolve("grambot.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "\n"
                        + Files.readString(work.resolve("grambot.log")));
            }
            Thread.sleep(25); // polling interval of a bounded wait
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
