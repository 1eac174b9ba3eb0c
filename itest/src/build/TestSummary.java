import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints the totals of the JUnit XML reports in a directory as "itest: N passed, N failed, N skipped", then
 * each failed test with the first lines of its failure, and exits 1 when a test failed or none ran. bnd-testing
 * runs with testFailureIgnore, so this is what fails the build, and the build log says which test and why. The
 * failed test classes are listed in {@code failed-test-classes.txt} next to the reports directory.
 */
public class TestSummary {
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");
    private static final Pattern FAILED_CASE = Pattern.compile(
            "<testcase\\b([^>]*)>\\s*<(failure|error)\\b([^>]*)>(.*?)</\\2>", Pattern.DOTALL);

    public static void main(String[] args) throws Exception {
        int tests = 0, failed = 0, skipped = 0;
        List<String> failures = new ArrayList<>();
        java.util.Set<String> failedClasses = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                String report = Files.readString(file);
                Matcher m = SUITE.matcher(report);
                while (m.find()) {
                    tests += count(m.group(), "tests");
                    failed += count(m.group(), "failures") + count(m.group(), "errors");
                    skipped += count(m.group(), "skipped");
                }
                Matcher f = FAILED_CASE.matcher(report);
                while (f.find()) {
                    failures.add("FAILED " + text(f.group(1), "classname") + "." + text(f.group(1), "name") + "\n"
                            + firstLines(unescape(f.group(4)), 25));
                    failedClasses.add(text(f.group(1), "classname"));
                }
            }
        }
        System.out.println("itest: " + (tests - failed - skipped) + " passed, " + failed + " failed, " + skipped + " skipped");
        failures.forEach(System.out::println);
        if (tests == 0) {
            System.out.println("itest: no test ran");
            System.exit(1);
        }
        // the classes to run again in a fresh framework (.ci/run does, once, and reports them as flaky if they pass)
        Files.write(Path.of(args[0]).resolveSibling("failed-test-classes.txt"), failedClasses);
        if (failed > 0) {
            System.exit(1);
        }
    }

    private static int count(String tag, String name) {
        String value = text(tag, name);
        return value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    private static String text(String tag, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? unescape(m.group(1)) : "";
    }

    private static String firstLines(String text, int lines) {
        String[] all = text.strip().split("\n");
        return "  " + String.join("\n  ", java.util.Arrays.copyOf(all, Math.min(lines, all.length)));
    }

    private static String unescape(String xml) {
        return xml.replace("<![CDATA[", "").replace("]]>", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&apos;", "'").replace("&#10;", "\n").replace("&amp;", "&");
    }
}
