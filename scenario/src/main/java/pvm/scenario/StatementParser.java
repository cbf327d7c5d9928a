package pvm.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Spelling;
import pvm.kernel.PolicyChoice;
import pvm.scenario.Token.Kind;

/**
 * Recursive descent over the tokens of one line. Keywords are contextual: a word is read as a
 * process name when an operation and its first argument follow it ({@code mark load 8 $a} is a
 * load by a process called {@code mark}), otherwise as the keyword it is.
 *
 * <p>Every error names what could have stood at that column, including the optional parts a
 * statement could still have taken ({@code ',' and another flag}, {@code 'file F OFFSET'}).
 */
final class StatementParser {

    private final String file;
    private final int line;
    private final List<Token> tokens;
    private int pos;
    /** What else could have followed the statement just parsed, for the end-of-statement message. */
    private List<String> trailing = List.of();

    private StatementParser(String file, int line, String text) {
        this.file = file;
        this.line = line;
        this.tokens = Lexer.tokens(text);
    }

    /**
     * The statement on one line, or empty for a blank or comment line.
     *
     * @throws ParseFailure with what was expected where
     */
    static Optional<Statement> parse(String file, int line, String text) {
        StatementParser p = new StatementParser(file, line, text);
        if (p.peek().is(Kind.EOL)) {
            return Optional.empty();
        }
        Statement s = p.statement(false);
        p.end(List.of());
        return Optional.of(s);
    }

    // ---- statements ----

    private Statement statement(boolean inExpect) {
        trailing = List.of();
        Token t = peek();
        if (t.is(Kind.VAR)) {
            return assignment();
        }
        if (!t.is(Kind.WORD)) {
            throw fail(t, Vocabulary.STATEMENT);
        }
        if (isOperation()) {
            return operation(Optional.empty(), name("a process name"));
        }
        switch (t.text()) {
            case "spawn" -> {
                next();
                String process = name("a process name");
                Optional<Expr> stack = Optional.empty();
                Optional<Expr> heap = Optional.empty();
                while ((peek().isWord("stack") && stack.isEmpty()) || (peek().isWord("heap") && heap.isEmpty())) {
                    if (next().text().equals("stack")) {
                        stack = Optional.of(expr("a stack size such as 64K or 16P"));
                    } else {
                        heap = Optional.of(expr("a heap size such as 64K or 16P"));
                    }
                }
                return new Statement.Spawn(process, stack, heap);
            }
            case "fork" -> {
                next();
                String parent = name("a parent process name");
                return new Statement.Fork(parent, name("a name for the child process"));
            }
            case "vfork" -> {
                next();
                String parent = name("a parent process name");
                return new Statement.Vfork(parent, name("a name for the child process"));
            }
            case "exit" -> {
                next();
                return new Statement.Exit(name("a process name"));
            }
            case "file" -> {
                return fileDecl();
            }
            case "copy" -> {
                next();
                String to = name("the process to copy to");
                Expr destination = address();
                String from = name("the process to copy from");
                Expr source = address();
                return new Statement.CopyBetween(to, destination, from, source, length());
            }
            case "mark" -> {
                next();
                return new Statement.Mark(name("a mark name"));
            }
            case "inject" -> {
                return inject();
            }
            case "mem" -> {
                return mem();
            }
            case "purge" -> {
                next();
                return new Statement.Purge();
            }
            case "kernel" -> {
                return KernelStatements.parse(this, Optional.empty());
            }
            case "show" -> {
                return show();
            }
            case "expect" -> {
                if (inExpect) {
                    throw fail(t, "a statement to expect", "expect cannot be nested");
                }
                return expect();
            }
            case "requires", "target", "boot" -> {
                if (inExpect) {
                    throw fail(t, "a statement to expect", "a header statement cannot be expected");
                }
                return header();
            }
            default -> {
                // NAME WORD ARG reads as an operation with a misspelt verb; anything else as a bad statement.
                if (peek(1).is(Kind.WORD) && (peek(2).is(Kind.NUMBER) || peek(2).is(Kind.VAR))) {
                    String process = name("a process name");
                    throw fail(peek(), Vocabulary.OPERATION + " after process '" + process + "'");
                }
                throw fail(t, Vocabulary.STATEMENT);
            }
        }
    }

    /**
     * Whether the tokens at the cursor read {@code NAME OPERATION ...}. A statement keyword counts
     * as a process name only when the operation's first argument (always a number or a variable)
     * follows, so {@code spawn load} spawns a process called {@code load}.
     */
    private boolean isOperation() {
        return isOperation(false);
    }

    /** {@link #isOperation()}, treating the first word as a keyword too when {@code keyword}. */
    private boolean isOperation(boolean keyword) {
        Token a = peek();
        Token b = peek(1);
        if (!a.is(Kind.WORD) || !b.is(Kind.WORD) || !Vocabulary.OPERATIONS.contains(b.text())) {
            return false;
        }
        if (!keyword && !Vocabulary.STATEMENT_KEYWORDS.contains(a.text())) {
            return true;
        }
        Token c = peek(2);
        return c.is(Kind.NUMBER) || c.is(Kind.VAR);
    }

    /** What else could follow the statement just parsed (for {@link KernelStatements}). */
    void trailing(List<String> options) {
        trailing = options;
    }

    /** {@code $v = P mmap ...} or {@code $v = P load ...}. */
    private Statement assignment() {
        Token assigned = next();
        String variable = variable(assigned);
        if (variable.contains(".")) {
            throw fail(assigned, "a variable to assign ($ and a name such as $a)", "$P." + variable.substring(variable.indexOf('.') + 1)
                    + " is set by the kernel, not assigned");
        }
        if (!peek().is(Kind.EQ)) {
            throw fail(peek(), "'=' after $" + variable);
        }
        next();
        if (KernelStatements.at(this)) {
            return KernelStatements.parse(this, Optional.of(variable));
        }
        if (!peek().is(Kind.WORD)) {
            throw fail(peek(), "a process name followed by mmap or load");
        }
        String process = name("a process name");
        if (!peek().isWord("mmap") && !peek().isWord("load") && !peek().isWord("sbrk") && !peek().isWord("brk")
                && !peek().isWord("nonvolatile")) {
            throw fail(peek(), "'mmap', 'load', 'sbrk', 'brk' or 'nonvolatile' (the operations whose result can be assigned)");
        }
        return operation(Optional.of(variable), process);
    }

    /** {@code P OPERATION ...}; the cursor is on the operation. */
    private Statement operation(Optional<String> variable, String process) {
        Token op = next();
        return switch (op.text()) {
            case "mmap" -> mmap(variable, process);
            case "munmap" -> new Statement.Munmap(process, address(), length());
            case "volatile" -> new Statement.Volatile(process, address(), length());
            case "nonvolatile" -> new Statement.Nonvolatile(variable, process, address(), length());
            case "mprotect" -> new Statement.Mprotect(process, address(), length(), prot());
            case "store" -> {
                int width = width();
                Expr address = address();
                yield new Statement.Store(process, width, address, value(width, "a value to store"));
            }
            case "load" -> {
                int width = width();
                yield new Statement.Load(variable, process, width, address());
            }
            case "fill" -> new Statement.Fill(process, address(), length(), value(8, "a byte to fill with (0 to 0xff)"));
            case "check" -> new Statement.Check(process, address(), length(), value(8, "the byte expected (0 to 0xff)"));
            case "copy" -> {
                Expr destination = address();
                Expr source = address();
                yield new Statement.Copy(process, destination, source, length());
            }
            case "checkfile" -> {
                Expr address = address();
                Expr length = length();
                String f = name("a file name");
                yield new Statement.CheckFile(process, address, length, f, expr("a file offset such as 0 or 1P"));
            }
            case "sbrk" -> new Statement.Sbrk(variable, process, signedExpr("an increment such as 1P, 4096 or -1P"));
            case "brk" -> new Statement.Brk(variable, process, expr("a break address such as $h+2P"));
            default -> throw new IllegalStateException("not an operation: " + op.text());
        };
    }

    private Statement mmap(Optional<String> variable, String process) {
        Expr address = expr("an address (0 lets the kernel choose), such as 0, 0x40000000 or $a+1P");
        Expr length = length();
        int prot = prot();
        int flags = 0;
        Sharing sharing = Sharing.UNSPECIFIED;
        List<String> seen = new ArrayList<>();
        String expected = "flags (a comma-separated list from " + String.join(", ", Vocabulary.FLAGS.keySet()) + ")";
        while (true) {
            Token t = peek();
            if (!t.is(Kind.WORD) || !Vocabulary.FLAGS.containsKey(t.text())) {
                throw fail(t, expected);
            }
            if (seen.contains(t.text())) {
                throw fail(t, expected, "'" + t.text() + "' is already given");
            }
            if ((t.isWord("private") && seen.contains("shared")) || (t.isWord("shared") && seen.contains("private"))) {
                throw fail(t, expected, "private and shared exclude each other");
            }
            seen.add(t.text());
            flags |= Vocabulary.FLAGS.get(t.text());
            if (t.isWord("private")) {
                sharing = Sharing.PRIVATE;
            } else if (t.isWord("shared")) {
                sharing = Sharing.SHARED;
            }
            next();
            if (!peek().is(Kind.COMMA)) {
                break;
            }
            next();
            expected = "a flag after ',' (" + String.join(", ", Vocabulary.FLAGS.keySet()) + ")";
        }
        Optional<Statement.MappedFile> mapped = Optional.empty();
        Optional<Expr> physical = Optional.empty();
        if (seen.contains("physmem")) {
            // MAP_PHYSMEM: Phoenix takes the physical address in mmap's offset argument.
            if (!peek().isWord("phys")) {
                throw fail(peek(), "'phys PADDR' (the physical address a physmem mapping maps)");
            }
            next();
            physical = Optional.of(expr("a physical address such as 0xb8000"));
        } else if (peek().isWord("file")) {
            next();
            String f = name("a file name");
            mapped = Optional.of(new Statement.MappedFile(f, expr("a file offset such as 0 or 1P")));
        } else {
            trailing = List.of("',' and another flag", "'file F OFFSET'");
        }
        return new Statement.Mmap(variable, process, address, length, prot, flags, sharing, mapped, physical);
    }

    /**
     * {@code mem [ARG]...}: psh's own arguments, taken as words ({@code -m}, {@code kernel}, a pid or
     * a process name); psh, not the parser, says what it makes of them.
     */
    private Statement mem() {
        next();
        List<String> args = new ArrayList<>();
        while (!peek().is(Kind.EOL) && !peek().is(Kind.ARROW)) {
            Token t = peek();
            if (t.is(Kind.MINUS) && peek(1).is(Kind.WORD) && peek(1).column() == t.column() + 1) {
                next();
                args.add("-" + next().text());
            } else if (t.is(Kind.WORD) || t.is(Kind.NUMBER)) {
                args.add(next().text());
            } else {
                throw fail(t, "an argument of psh's mem (-m [P|PID|kernel], -p, -s or -h)");
            }
        }
        trailing = List.of();
        return new Statement.Mem(args);
    }

    /** {@code inject ENOMEM [always] after N}, {@code inject off}. */
    private Statement inject() {
        next();
        if (peek().isWord("off")) {
            next();
            return new Statement.Inject(Optional.empty(), false);
        }
        if (!peek().isWord("ENOMEM")) {
            throw fail(peek(), "'ENOMEM' (the failure to inject) or 'off'");
        }
        next();
        boolean always = peek().isWord("always");
        if (always) {
            next();
        }
        if (!peek().isWord("after")) {
            throw fail(peek(), always ? "'after'" : "'after' or 'always'");
        }
        next();
        return new Statement.Inject(Optional.of(expr("a number of allocations to let through, such as 0 or 3")), always);
    }

    /** {@code file F SIZE [fill BYTE | pattern]}. */
    private Statement fileDecl() {
        next();
        String name = name("a file name");
        Expr size = expr("a file size such as 4096, 64K or 2P");
        Optional<Expr> fill = Optional.empty();
        if (peek().isWord("fill")) {
            next();
            fill = Optional.of(value(8, "a byte to fill the file with (0 to 0xff)"));
        } else if (peek().isWord("pattern")) {
            next();
        } else {
            trailing = List.of("'fill BYTE'", "'pattern'");
        }
        return new Statement.FileDecl(name, size, fill);
    }

    /** {@code show WHAT [P]}, {@code show walk ADDR [P]}. */
    private Statement show() {
        next();
        Token t = peek();
        Optional<View> view = t.is(Kind.WORD) ? View.named(t.text()) : Optional.empty();
        if (view.isEmpty()) {
            throw fail(t, Vocabulary.VIEW);
        }
        next();
        Optional<Expr> address = view.get() == View.WALK ? Optional.of(expr("an address to walk, such as $a or 0x40000000"))
                : Optional.empty();
        Optional<String> process = Optional.empty();
        if (peek().is(Kind.WORD)) {
            process = Optional.of(name("a process name"));
        } else {
            trailing = List.of("a process name");
        }
        return new Statement.Show(view.get(), address, process);
    }

    /** {@code expect STATEMENT -> OUTCOME}, {@code expect P load W ADDR == VALUE}, {@code expect unchanged M}, {@code expect verify}. */
    private Statement expect() {
        next();
        Token t = peek();
        if (t.isWord("verify") && !isOperation(true)) {
            next();
            return new Statement.ExpectVerify();
        }
        if (t.isWord("unchanged") && !isOperation(true)) {
            next();
            return new Statement.ExpectUnchanged(name("a mark name"));
        }
        Statement inner = statement(true);
        if (inner instanceof Statement.Load load && load.variable().isEmpty() && peek().is(Kind.EQEQ)) {
            next();
            return new Statement.ExpectLoad(load.process(), load.width(), load.address(),
                    value(load.width(), "the value expected"));
        }
        if (!peek().is(Kind.ARROW)) {
            List<String> options = new ArrayList<>(trailing);
            if (inner instanceof Statement.Load load && load.variable().isEmpty()) {
                options.add("'==' and a value");
            }
            options.add("'->' and an outcome");
            throw fail(peek(), alternatives(options));
        }
        next();
        Token o = peek();
        Outcome outcome;
        if (o.isWord("ok")) {
            outcome = new Outcome.Ok();
        } else if (o.isWord("SEGV")) {
            outcome = new Outcome.Segv();
        } else if (o.isWord("OOM")) {
            outcome = new Outcome.Oom();
        } else if (o.is(Kind.WORD) && Vocabulary.ERRNOS.contains(o.text())) {
            outcome = new Outcome.Errno(o.text());
        } else if (o.is(Kind.WORD) && (o.text().equalsIgnoreCase("ok") || o.text().equalsIgnoreCase("segv") || o.text().equalsIgnoreCase("oom")
                || Vocabulary.ERRNOS.contains(o.text().toUpperCase(java.util.Locale.ROOT)))) {
            throw fail(o, Vocabulary.OUTCOME, "write ok in lower case, SEGV, OOM and errno names in capitals");
        } else {
            throw fail(o, Vocabulary.OUTCOME);
        }
        next();
        trailing = List.of();
        return new Statement.Expect(inner, outcome);
    }

    /** {@code requires mmu|nommu}, {@code target NAME}, {@code boot [ram=SIZE] [cpus=N]}. */
    private Statement header() {
        Token keyword = next();
        switch (keyword.text()) {
            case "requires" -> {
                Token t = peek();
                if (t.isWord("mmu") || t.isWord("nommu")) {
                    next();
                    return new Statement.Requires(t.isWord("mmu") ? Requirement.MMU : Requirement.NOMMU);
                }
                throw fail(t, "'mmu' or 'nommu'");
            }
            case "target" -> {
                return new Statement.Target(target());
            }
            default -> {
                Optional<Expr> ram = Optional.empty();
                Optional<Expr> cpus = Optional.empty();
                boolean phoenix = false;
                List<String> policies = new ArrayList<>();
                while (peek().is(Kind.WORD)) {
                    Token t = peek();
                    if (t.isWord("phoenix")) {
                        next();
                        phoenix = true;
                    } else if (PolicyChoice.isKnown(t.text()) && tokens.get(pos + 1).is(Kind.EQ)) {
                        policies.add(policy());
                    } else if (t.isWord("ram") && ram.isEmpty()) {
                        next();
                        equalsAfter(t);
                        ram = Optional.of(expr("a RAM size such as 64M"));
                    } else if (t.isWord("cpus") && cpus.isEmpty()) {
                        next();
                        equalsAfter(t);
                        Token at = peek();
                        Expr n = expr("a number of CPUs such as 2");
                        if (n.constant().isPresent() && n.constant().getAsLong() < 1) {
                            throw fail(at, "a number of CPUs (at least 1)");
                        }
                        cpus = Optional.of(n);
                    } else {
                        throw fail(t, bootOptions(ram, cpus), t.isWord("ram") || t.isWord("cpus") ? "'" + t.text() + "' is already given"
                                : tokens.get(pos + 1).is(Kind.EQ) ? "no policy '" + t.text() + "'; the policies are " + PolicyChoice.knownNames()
                                : null);
                    }
                }
                trailing = bootOptionList(ram, cpus);
                return new Statement.Boot(ram, cpus, new PolicyChoice(phoenix, policies));
            }
        }
    }

    /**
     * The name after {@code target}: one of the discovered targets, so that a misspelt one is a
     * parse error rather than a scenario silently skipped everywhere.
     */
    private String target() {
        Token at = peek();
        String name = name("a target name such as i686 or nommu");
        List<String> known = Architectures.discover().stream().map(Architecture::name).toList();
        if (!known.isEmpty() && !known.contains(name)) {
            throw fail(at, "a target (" + String.join(", ", known) + ")", "no target is called " + name + Spelling.didYouMean(name, known));
        }
        return name;
    }

    /**
     * {@code NAME=VALUE}, a policy choice: checked here against every discovered target's policies, so
     * a misspelt name or value is a parse error at its column. A value may have dashes
     * ({@code keep-one-empty}); its pieces must touch.
     */
    private String policy() {
        Token name = next();
        next(); // '='
        Token first = peek();
        if (!first.is(Kind.WORD)) {
            throw fail(first, "a policy value after '" + name.text() + "='");
        }
        next();
        StringBuilder value = new StringBuilder(first.text());
        int end = first.column() + first.text().length();
        while (peek().is(Kind.MINUS) && peek().column() == end && tokens.get(pos + 1).is(Kind.WORD)
                && tokens.get(pos + 1).column() == end + 1) {
            next();
            Token piece = next();
            value.append('-').append(piece.text());
            end = piece.column() + piece.text().length();
        }
        String assignment = name.text() + "=" + value;
        Optional<String> wrong = PolicyChoice.check(assignment);
        if (wrong.isPresent()) {
            throw fail(first, "a value of policy " + name.text(), wrong.get());
        }
        return assignment;
    }

    private void equalsAfter(Token option) {
        if (!peek().is(Kind.EQ)) {
            throw fail(peek(), "'=' after '" + option.text() + "'");
        }
        next();
    }

    private static List<String> bootOptionList(Optional<Expr> ram, Optional<Expr> cpus) {
        List<String> options = new ArrayList<>();
        if (ram.isEmpty()) {
            options.add("'ram=SIZE'");
        }
        if (cpus.isEmpty()) {
            options.add("'cpus=N'");
        }
        options.add("'phoenix'");
        options.add("'POLICY=VALUE'");
        return options;
    }

    private static String bootOptions(Optional<Expr> ram, Optional<Expr> cpus) {
        List<String> options = bootOptionList(ram, cpus);
        options.add("end of line");
        return alternatives(options);
    }

    // ---- pieces ----

    private String name(String what) {
        Token t = peek();
        if (t.is(Kind.WORD) && Vocabulary.NAME.matcher(t.text()).matches()) {
            next();
            return t.text();
        }
        if (t.is(Kind.WORD)) {
            throw fail(t, what, "names are lower case letters, digits and _, starting with a letter");
        }
        throw fail(t, what);
    }

    private String variable(Token t) {
        String name = t.text().substring(1);
        if (ProcessMemoryStatements.isProperty(name)) {
            return name;
        }
        if (name.contains(".")) {
            throw fail(t, "a variable ($ and a name such as $a)", "a process's properties are " + ProcessMemoryStatements.PROPERTIES);
        }
        if (!Vocabulary.NAME.matcher(name).matches()) {
            throw fail(t, "a variable ($ and a name such as $a)",
                    name.isEmpty() ? null : "names are lower case letters, digits and _, starting with a letter");
        }
        return name;
    }

    private Expr address() {
        return expr("an address such as 0x40000000, $a or $a+1P");
    }

    private Expr length() {
        return expr("a length such as 4096, 64K or 2P");
    }

    private int prot() {
        Token t = peek();
        if (t.is(Kind.WORD)) {
            OptionalInt p = Vocabulary.prot(t.text());
            if (p.isPresent()) {
                next();
                return p.getAsInt();
            }
        }
        throw fail(t, Vocabulary.PROT);
    }

    private int width() {
        Token t = peek();
        if (t.is(Kind.NUMBER) && (t.text().equals("8") || t.text().equals("16") || t.text().equals("32"))) {
            next();
            return Integer.parseInt(t.text());
        }
        throw fail(t, "a width in bits (8, 16 or 32)");
    }

    /** An expression that must fit in {@code width} bits; checked here when it is a constant. */
    private Expr value(int width, String what) {
        Token at = peek();
        Expr e = expr(what);
        OptionalLong c = e.constant();
        long max = (1L << width) - 1;
        if (c.isPresent() && (c.getAsLong() < 0 || c.getAsLong() > max)) {
            throw new ParseFailure(new ParseError(file, line, at.column(), String.format(
                    "expected %s, found '%s' (it does not fit in %d bits; at most 0x%x)", what, e.text(), width, max)));
        }
        return e;
    }

    /** Sums and differences of numbers and variables. */
    Expr expr(String what) {
        return sum(term(what), new ArrayList<>(), what);
    }

    /** {@link #expr} that may start with {@code -}, which negates its first term ({@code -4P-10} is -(4P) - 10). */
    private Expr signedExpr(String what) {
        if (!peek().is(Kind.MINUS)) {
            return expr(what);
        }
        next();
        List<Expr.Sum.Term> rest = new ArrayList<>();
        rest.add(new Expr.Sum.Term(true, term(what)));
        return sum(new Expr.Num(0, false, ""), rest, what);
    }

    /** The terms after {@code first}, each added or subtracted, gathered into one flat sum. */
    private Expr sum(Expr first, List<Expr.Sum.Term> rest, String what) {
        while (peek().is(Kind.PLUS) || peek().is(Kind.MINUS)) {
            Token op = next();
            rest.add(new Expr.Sum.Term(op.is(Kind.MINUS), term("a number or a $variable after '" + op.text() + "'")));
        }
        return rest.isEmpty() ? first : new Expr.Sum(first, rest);
    }

    private Expr term(String what) {
        Token t = peek();
        if (t.is(Kind.NUMBER)) {
            next();
            return number(t, what);
        }
        if (t.is(Kind.VAR)) {
            next();
            return new Expr.Var(variable(t));
        }
        throw fail(t, what);
    }

    /** Decimal or {@code 0x} hex, with an optional {@code K}, {@code M}, {@code G} or {@code P}. */
    private Expr.Num number(Token t, String what) {
        String s = t.text();
        boolean hex = s.length() > 1 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
        int radix = hex ? 16 : 10;
        int start = hex ? 2 : 0;
        int i = start;
        while (i < s.length() && Character.digit(s.charAt(i), radix) >= 0) {
            i++;
        }
        if (i == start) {
            throw fail(t, what, hex ? "no hex digits after 0x" : null);
        }
        String suffix = s.substring(i);
        int shift = 0;
        boolean pages = false;
        switch (suffix) {
            case "" -> shift = 0;
            case "K" -> shift = 10;
            case "M" -> shift = 20;
            case "G" -> shift = 30;
            case "P" -> pages = true;
            default -> throw fail(t, what, suffix.length() == 1 && "kmgp".contains(suffix)
                    ? "the suffixes K, M, G and P are capitals" : null);
        }
        try {
            long v = Long.parseLong(s.substring(start, i), radix);
            if (shift > 0 && v > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return new Expr.Num(v << shift, pages, s);
        } catch (NumberFormatException e) {
            throw fail(t, what, "too large");
        }
    }

    // ---- cursor and errors ----

    Token peek() {
        return tokens.get(pos);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(pos);
        if (!t.is(Kind.EOL)) {
            pos++;
        }
        return t;
    }

    /** Requires the end of the line; {@code more} are what an enclosing statement could also take. */
    private void end(List<String> more) {
        if (!peek().is(Kind.EOL)) {
            List<String> options = new ArrayList<>(trailing);
            options.addAll(more);
            options.add("end of line");
            throw fail(peek(), alternatives(options));
        }
    }

    /** {@code a}, {@code a or b}, {@code a, b or c}. */
    static String alternatives(List<String> options) {
        if (options.size() == 1) {
            return options.getFirst();
        }
        return String.join(", ", options.subList(0, options.size() - 1)) + " or " + options.getLast();
    }

    ParseFailure fail(Token at, String expected) {
        return fail(at, expected, null);
    }

    private ParseFailure fail(Token at, String expected, String note) {
        String message = "expected " + expected + ", found " + at.describe() + (note == null ? "" : " (" + note + ")");
        return new ParseFailure(new ParseError(file, line, at.column(), message));
    }
}
