import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Prints the totals of the JUnit XML reports in a directory as "itest: N passed, N failed, N skipped". */
public class TestSummary {
    public static void main(String[] args) throws Exception {
        Pattern suite = Pattern.compile("<testsuite\\b[^>]*>");
        int tests = 0, failed = 0, skipped = 0;
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Matcher m = suite.matcher(Files.readString(file));
                while (m.find()) {
                    tests += attr(m.group(), "tests");
                    failed += attr(m.group(), "failures") + attr(m.group(), "errors");
                    skipped += attr(m.group(), "skipped");
                }
            }
        }
        System.out.println("itest: " + (tests - failed - skipped) + " passed, " + failed + " failed, " + skipped + " skipped");
        if (tests == 0) {
            System.out.println("itest: no test ran");
            System.exit(1);
        }
    }

    private static int attr(String tag, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(tag);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
