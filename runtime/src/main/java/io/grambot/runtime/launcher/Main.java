package io.grambot.runtime.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** Starts Felix with the distribution's bundles and configuration, and stops it cleanly on exit. */
public final class Main {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private Main() {}

    public static void main(String[] args) throws Exception {
        Properties system = System.getProperties();
        Map<String, String> env = System.getenv();
        LaunchSettings settings = LaunchSettings.from(system, env, Path.of("").toAbsolutePath());
        boolean firstStart = !Files.isDirectory(settings.data());
        for (Path dir : new Path[] { settings.data(), settings.deploy(), settings.etc() }) {
            Files.createDirectories(dir);
        }
        if (firstStart) {
            // a working default: the web chat and a bot answering it; the user's files win, deletions stay deleted
            Defaults.copyMissing(settings.home().resolve("conf/defaults/etc"), settings.etc());
        }
        ConsoleCredentials credentials = ConsoleCredentials.resolve(system, env, settings.data());

        Map<String, String> config = frameworkProperties(settings, system);
        // only in the framework's own properties: system properties are listed on the console's status pages
        config.put("felix.webconsole.username", credentials.user());
        config.put("felix.webconsole.password", credentials.password());
        if (System.console() == null && !config.containsKey("gosh.args")) {
            config.put("gosh.args", "--nointeractive"); // no terminal: keep the shell from reading stdin
        }
        if (system.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.config.file",
                    settings.home().resolve("conf/logging.properties").toString());
        }
        if (system.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", settings.home().resolve("conf/logback.xml").toString());
        }

        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.init();
        AutoProcessor.process(config, framework.getBundleContext());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "grambot-shutdown"));
        framework.start();

        long startedMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("Grambot started in " + startedMs + " ms");
        System.out.println("  web console: " + settings.consoleUrl() + "  (user '" + credentials.user() + "')");
        if (credentials.generated()) {
            System.out.println("  generated console password: " + credentials.password() + "  (kept in "
                    + settings.data().resolve(ConsoleCredentials.PASSWORD_FILE) + "; set GRAMBOT_ADMIN_PASSWORD to choose one)");
        }
        System.out.println("  data: " + settings.data());
        System.out.println("  hot deploy: plugin jars into " + settings.deploy() + ", instance files into " + settings.etc());
        framework.waitForStop(0);
        System.exit(0);
    }

    /** conf/config.properties with {@code ${...}} replaced from the launch settings and system properties. */
    static Map<String, String> frameworkProperties(LaunchSettings settings, Properties system) throws IOException {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(settings.home().resolve("conf/config.properties"))) {
            file.load(in);
        }
        Map<String, String> variables = new HashMap<>(settings.variables());
        Map<String, String> config = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            config.put(key, substitute(file.getProperty(key), variables, system));
        }
        return config;
    }

    static String substitute(String value, Map<String, String> variables, Properties system) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = variables.getOrDefault(name, system.getProperty(name));
            if (replacement == null) {
                throw new IllegalArgumentException("conf/config.properties refers to ${" + name
                        + "}, which is neither a Grambot setting nor a system property");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (Exception e) {
            System.err.println("Grambot did not stop cleanly: " + e);
        }
    }
}
