package pvm.scenario;

import io.vavr.control.Either;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.kernel.Json;
import pvm.kernel.KernelOptions;

/**
 * {@code pvm run}: parses every file first (nothing runs when one cannot be read or parsed), then
 * runs each scenario on each chosen target, printing a summary line per scenario and target and
 * the total at the end.
 */
public final class ScenarioRunner {

    /** Nothing failed. */
    public static final int OK = 0;
    /** An expectation or a statement failed. */
    public static final int FAILED = 1;
    /** A file cannot be read or parsed, or the architecture is unknown. */
    public static final int BAD_INPUT = 2;

    /** The {@code --arch} value that picks every discovered target. */
    public static final String ALL = "all";
    /** The file name that stands for standard input ({@code pvm run -}). */
    public static final String STDIN = "-";

    private final KernelOptions options;
    private boolean json;
    private boolean explain;
    private boolean verifyEach;

    /** A runner whose machines boot with the kernel's default options. */
    public ScenarioRunner() {
        this(KernelOptions.DEFAULT);
    }

    /** A runner whose machines boot with {@code options} (e.g. a host directory of files). */
    public ScenarioRunner(KernelOptions options) {
        this.options = options;
    }

    /** Prints each scenario's comments before the statements they precede ({@code pvm run --explain}). */
    public ScenarioRunner explain(boolean on) {
        this.explain = on;
        return this;
    }

    /** Runs every layer's invariant checker after every statement ({@code pvm run --verify-each}). */
    public ScenarioRunner verifyEach(boolean on) {
        this.verifyEach = on;
        return this;
    }

    /** Prints one JSON object per statement, summary and total instead of text ({@code pvm run --json}). */
    public ScenarioRunner json(boolean on) {
        this.json = on;
        return this;
    }

    /**
     * Runs scenario files.
     *
     * @param files {@code .pvm} files; a directory stands for the {@code .pvm} files in it, by name,
     *     and {@link #STDIN} for the scenario on standard input
     * @param arch a target name, or {@link #ALL}
     * @param keepGoing run on after a failure
     * @param quiet print only the summary lines and the total
     * @return {@link #OK}, {@link #FAILED} or {@link #BAD_INPUT}
     */
    public int run(List<Path> files, String arch, boolean keepGoing, boolean quiet, PrintStream out, PrintStream err) {
        List<Architecture> targets;
        if (arch.equals(ALL)) {
            targets = Architectures.discover();
            if (targets.isEmpty()) {
                err.println("no architectures found: put an arch-* module on the module path");
                return BAD_INPUT;
            }
        } else {
            var named = Architectures.named(arch);
            if (named.isLeft()) {
                err.println(named.getLeft());
                return BAD_INPUT;
            }
            targets = List.of(named.get());
        }

        List<Scenario> scenarios = new ArrayList<>();
        List<Comments> comments = new ArrayList<>();
        boolean bad = false;
        for (Path file : expand(files, err)) {
            if (file == null) {
                bad = true;
                continue;
            }
            boolean stdin = file.toString().equals(STDIN);
            Either<String, String> read;
            try {
                read = stdin ? TextFile.read(System.in, "stdin") : TextFile.read(file);
            } catch (IOException e) {
                read = Either.left(cannotRead(Path.of("stdin"), e));
            }
            if (read.isLeft()) {
                err.println(read.getLeft());
                bad = true;
                continue;
            }
            String text = read.get();
            var parsed = ScenarioParser.parse(stdin ? Path.of("stdin") : file, text);
            if (parsed.isLeft()) {
                parsed.getLeft().forEach(e -> err.println(e.text()));
                bad = true;
            } else {
                scenarios.add(parsed.get());
                comments.add(explain ? Comments.of(text) : Comments.NONE);
            }
        }
        if (bad) {
            return BAD_INPUT;
        }

        int passed = 0;
        int failed = 0;
        Map<String, int[]> perTarget = new LinkedHashMap<>();
        for (int i = 0; i < scenarios.size(); i++) {
            for (Architecture target : targets) {
                Summary summary = Interpreter.run(scenarios.get(i), target, keepGoing, verifyEach, options, json, comments.get(i),
                        quiet ? line -> { } : out::println);
                out.println(json ? summary.json() : summary.line());
                if (!quiet && !json) {
                    out.println();
                }
                passed += summary.passed();
                failed += summary.failed();
                int[] counts = perTarget.computeIfAbsent(target.name(), t -> new int[3]);
                counts[0] += summary.passed();
                counts[1] += summary.failed();
                counts[2] += summary.skipped();
            }
        }
        if (perTarget.size() > 1) {
            perTarget.forEach((target, c) -> out.println(json
                    ? Json.write(perTargetObject(target, c))
                    : String.format("on %s: %d passed, %d failed, %d skipped", target, c[0], c[1], c[2])));
        }
        out.println(json ? Json.write(java.util.Map.of("passed", passed, "failed", failed)) : Summary.totalLine(passed, failed));
        out.flush();
        return failed > 0 ? FAILED : OK;
    }

    private static Map<String, Object> perTargetObject(String target, int[] counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("passed", counts[0]);
        m.put("failed", counts[1]);
        m.put("skipped", counts[2]);
        return m;
    }

    /** Files as given, directories replaced by their {@code .pvm} files; null for a directory that cannot be listed. */
    private static List<Path> expand(List<Path> files, PrintStream err) {
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isDirectory(f)) {
                out.add(f);
                continue;
            }
            try (Stream<Path> in = Files.list(f)) {
                out.addAll(in.filter(p -> p.getFileName().toString().endsWith(".pvm") && Files.isRegularFile(p))
                        .sorted().toList());
            } catch (IOException e) {
                err.println(cannotRead(f, e));
                out.add(null);
            }
        }
        return out;
    }

    /**
     * The one way pvm says a file could not be read: {@code pvm: cannot read FILE: REASON}, with the
     * reason in words rather than as an exception's name.
     */
    public static String cannotRead(Path file, IOException e) {
        return "pvm: cannot read " + file + ": " + reason(e);
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            case CharacterCodingException c -> "not UTF-8 text";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
