package io.grambot.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who can reach the distribution as it starts with its defaults: the HTTP port listens on loopback only, the
 * console wants its login, and a page of another site cannot make a logged-in browser change anything through the
 * web console's own pages (the Grambot page's token is tested in BotConsoleIT and GrambotPageBrowserIT).
 */
class AccessIT {

    private static final String PROBE_PID = "grambot.access.probe";
    private static final String CONFIGURATIONS = "/system/console/status-Configurations.txt";

    @TempDir
    Path work;

    private RunningDistribution grambot;
    private String password;

    @BeforeEach
    void start() throws Exception {
        grambot = new RunningDistribution(work);
        grambot.start();
        password = grambot.awaitPassword();
        grambot.awaitResponse("/system/console/grambot", password, r -> r.statusCode() == 200);
    }

    @AfterEach
    void stop() throws Exception {
        grambot.close();
    }

    @Test
    void theHttpPortListensOnLoopbackOnly() throws Exception {
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", grambot.port()), 2_000);
        }
        Optional<InetAddress> outside = nonLoopbackAddress();
        Assumptions.assumeTrue(outside.isPresent(), "this machine has no non-loopback address to try");
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(outside.get(), grambot.port()), 2_000);
            }
        }).as("connecting to %s:%d", outside.get().getHostAddress(), grambot.port()).isInstanceOf(IOException.class);
        assertThat(grambot.get("/system/console/bundles.json", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aCrossSitePostToTheConsolesOwnPagesChangesNothing() throws Exception {
        String form = "apply=true&action=ajaxConfigManager&propertylist=note&note=written";
        HttpResponse<String> foreign = grambot.send(grambot.request("/system/console/configMgr/" + PROBE_PID,
                password).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("another site");
        HttpResponse<String> referred = grambot.send(grambot.request("/system/console/bundles", password)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Referer", "http://evil.example/page.html")
                .POST(HttpRequest.BodyPublishers.ofString("action=install")));
        assertThat(referred.statusCode()).isEqualTo(403);
        assertThat(grambot.get(CONFIGURATIONS, password).body()).doesNotContain(PROBE_PID);

        // the same request from the console's own page is carried out: the refusal was the origin's
        HttpResponse<String> own = grambot.send(grambot.request("/system/console/configMgr/" + PROBE_PID, password)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", grambot.origin())
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(own.statusCode()).isIn(200, 302);
        grambot.awaitResponse(CONFIGURATIONS, password, r -> r.body().contains(PROBE_PID));
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(AccessIT::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
