package io.grambot.runtime.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The configuration a fresh installation starts with (conf/defaults), copied once on the first start. */
final class Defaults {

    private Defaults() {}

    /** Copies each file of {@code from} that {@code to} lacks; returns the names copied. */
    static List<String> copyMissing(Path from, Path to) throws IOException {
        List<String> copied = new ArrayList<>();
        if (!Files.isDirectory(from)) {
            return copied;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                Path target = to.resolve(file.getFileName());
                if (!Files.exists(target)) {
                    Files.copy(file, target);
                    copied.add(file.getFileName().toString());
                }
            }
        }
        return copied;
    }
}
