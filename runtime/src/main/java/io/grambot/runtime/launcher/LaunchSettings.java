package io.grambot.runtime.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the distribution and its data are, and where the web console listens. Each value comes from a system
 * property ({@code -Dgrambot.data=...}), else an environment variable ({@code GRAMBOT_DATA}), else its default;
 * relative paths are resolved against the working directory.
 *
 * @param home the distribution directory (bin, lib, bundle, conf)
 * @param data the data directory: ConfigAdmin store, secrets, plugin data; default {@code .scout}
 * @param deploy the hot-deploy directory for plugin jars; default {@code deploy}
 * @param etc the directory of instance configuration files; default {@code etc}
 * @param httpHost the address the web console binds to; default {@code 127.0.0.1}
 * @param httpPort the web console's port; default 8080
 */
record LaunchSettings(Path home, Path data, Path deploy, Path etc, String httpHost, int httpPort) {

    static LaunchSettings from(Properties system, Map<String, String> env, Path workingDirectory) {
        String home = system.getProperty("grambot.home");
        if (home == null) {
            throw new IllegalStateException("grambot.home is not set: start Grambot with its bin/grambot script");
        }
        String port = value(system, env, "grambot.http.port", "8080");
        int httpPort;
        try {
            httpPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("grambot.http.port (GRAMBOT_HTTP_PORT) must be a port number, was '"
                    + port + "'");
        }
        return new LaunchSettings(workingDirectory.resolve(home).normalize(),
                path(system, env, workingDirectory, "grambot.data", ".scout"),
                path(system, env, workingDirectory, "grambot.deploy", "deploy"),
                path(system, env, workingDirectory, "grambot.etc", "etc"),
                value(system, env, "grambot.http.host", "127.0.0.1"), httpPort);
    }

    /** The values config.properties may refer to as {@code ${grambot.*}}. */
    Map<String, String> variables() {
        return Map.of("grambot.home", home.toString(), "grambot.data", data.toString(), "grambot.deploy",
                deploy.toString(), "grambot.etc", etc.toString(), "grambot.http.host", httpHost, "grambot.http.port",
                Integer.toString(httpPort));
    }

    String consoleUrl() {
        String host = httpHost.equals("0.0.0.0") ? "127.0.0.1" : httpHost;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort + "/system/console";
    }

    private static Path path(Properties system, Map<String, String> env, Path cwd, String key, String fallback) {
        return cwd.resolve(value(system, env, key, fallback)).toAbsolutePath().normalize();
    }

    static String value(Properties system, Map<String, String> env, String key, String fallback) {
        String fromSystem = system.getProperty(key);
        if (fromSystem != null && !fromSystem.isBlank()) {
            return fromSystem;
        }
        String fromEnv = env.get(key.toUpperCase().replace('.', '_'));
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
    }
}
