package io.grambot.runtime.launcher;

import static io.grambot.runtime.launcher.RunningDistribution.DISTRIBUTION;
import static io.grambot.runtime.launcher.RunningDistribution.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the built distribution (target/grambot/bin/grambot) as a user would, in an empty working directory, and
 * drives it over HTTP: console login, hot deploy of the sample plugin, an instance from a configuration file, a
 * console edit written back to that file, and a restart that keeps everything. Its output ({@code grambot.log} in the
 * working directory) shows Grambot's own log lines.
 */
class DistributionIT {

    @TempDir
    Path work;

    private RunningDistribution grambot;

    @BeforeEach
    void prepare() throws IOException {
        grambot = new RunningDistribution(work);
    }

    @AfterEach
    void stop() throws Exception {
        grambot.close();
    }

    @Test
    void startsWithAGeneratedLoginHotDeploysAndKeepsEditsAcrossRestart() throws Exception {
        // an instance of a plugin that is not installed (yet): core reports it, through the OSGi log, on the console
        Files.createDirectories(work.resolve("etc"));
        Files.writeString(work.resolve("etc/echo-early.cfg"), "grambot.plugin.id=echo\ntoolName=early\n");
        long startedAt = System.nanoTime();
        grambot.start();
        String password = grambot.awaitPassword();
        grambot.awaitResponse("/system/console/bundles.json", password, r -> r.statusCode() == 200);
        long consoleReadyMs = millisSince(startedAt);
        grambot.awaitFile(work.resolve("grambot.log"), log -> log.contains("generated console password: " + password));
        // Grambot's own INFO and ERROR lines reach the console (OSGi Log Service -> log bridge -> logback)
        grambot.awaitFile(work.resolve("grambot.log"), log -> log.contains(
                "web chat 'webchat' ready at http://127.0.0.1:" + grambot.port() + "/chat/"));
        grambot.awaitFile(work.resolve("grambot.log"), log -> log.contains(
                "ERROR i.g.c.i.PluginInstanceManager - instance 'early' of plugin 'echo' is not loaded: plugin 'echo'"
                        + " is not installed"));
        // everyone else stays at WARN (conf/logback.xml): no framework events, no ConfigAdmin trace
        assertThat(grambot.log().lines().filter(line -> line.matches("[\\d:.]{12} (INFO |DEBUG|TRACE) .*")))
                .isNotEmpty().allMatch(line -> line.substring(19).startsWith("i.g."));

        // never admin/admin, never anonymous
        assertThat(grambot.get("/system/console/bundles.json", null).statusCode()).isEqualTo(401);
        assertThat(grambot.get("/system/console/bundles.json", "admin").statusCode()).isEqualTo(401);
        assertThat(password).hasSize(20);
        assertThat(grambot.get("/system/console/bundles.json", password).body()).contains("all", "bundles active");
        assertNotReachableOnOtherInterfaces();

        // hot deploy: the sample plugin jar dropped into deploy/ becomes an active bundle
        long copiedAt = System.nanoTime();
        Files.copy(DISTRIBUTION.resolve("samples/echo-plugin.jar"), work.resolve("deploy/echo-plugin.jar"));
        grambot.awaitResponse("/system/console/bundles/io.grambot.plugin.echo.json", password,
                r -> r.statusCode() == 200 && r.body().contains("\"state\":\"Active\""));
        long deployMs = millisSince(copiedAt);

        // an instance from a configuration file publishes the plugin's services under its pid
        long fileAt = System.nanoTime();
        Files.writeString(work.resolve("etc/echo-greeter.cfg"), "toolName=greet\n");
        grambot.awaitResponse("/system/console/services.json", password,
                r -> r.body().contains("\"pid\":\"echo~greeter\""));
        long instanceMs = millisSince(fileAt);

        // an edit in the console (posted as its configuration form does) is written back to the file
        HttpResponse<String> saved = grambot.post("/system/console/configMgr/echo~greeter", password,
                "apply=true&action=ajaxConfigManager&propertylist=felix.fileinstall.filename,enabled,toolName,prefix"
                        + "&enabled=true&toolName=welcome&prefix=");
        assertThat(saved.statusCode()).isIn(200, 302);
        grambot.awaitFile(work.resolve("etc/echo-greeter.cfg"), content -> content.contains("welcome"));

        // restart: same password, plugin and edited instance come back from deploy/ and etc/
        assertThat(grambot.stop(Duration.ofSeconds(30))).as("stopped on SIGTERM").isTrue();
        long restartAt = System.nanoTime();
        grambot.start();
        grambot.awaitResponse("/system/console/configMgr/echo~greeter.json", password,
                r -> r.statusCode() == 200 && r.body().contains("\"value\":\"welcome\""));
        grambot.awaitResponse("/system/console/services.json", password,
                r -> r.body().contains("\"pid\":\"echo~greeter\""));
        long restartMs = millisSince(restartAt);
        assertThat(Files.readString(work.resolve(".scout/console-password")).strip()).isEqualTo(password);

        System.out.printf("distribution: cold start to web console ready %d ms; jar copy to bundle active %d ms;"
                + " config file to instance service %d ms; restart to instance back %d ms%n", consoleReadyMs,
                deployMs, instanceMs, restartMs);
    }

    private void assertNotReachableOnOtherInterfaces() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, grambot.port()), 1_000);
                        throw new AssertionError("the console answers on " + address + ", not only on loopback");
                    } catch (IOException refused) {
                        // expected: bound to 127.0.0.1 only
                    }
                }
            }
        }
    }
}
