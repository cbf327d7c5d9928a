package pvm.scenario;

import java.util.List;
import java.util.Optional;

/**
 * One statement of the scenario language (docs/scenario-language.md), as parsed. Numbers stay {@link Expr}s
 * until run, since variables and the page size are known only then. Protections and flags are
 * already {@code pvm.hal.pmap.Prot} and {@code pvm.hal.pmap.MapFlags} bits.
 */
public sealed interface Statement {

    /**
     * The process this statement acts for, if any: a vfork parent may not be named by one until
     * its child exits. {@code fork P Q} and {@code vfork P Q} act for {@code P}.
     */
    default Optional<String> actor() {
        return Optional.empty();
    }

    /** {@code requires}, {@code target} and {@code boot}: allowed only before every other statement. */
    sealed interface HeaderStatement extends Statement {
    }

    /** {@code requires mmu} / {@code requires nommu}. */
    record Requires(Requirement requirement) implements HeaderStatement {
    }

    /** {@code target NAME}: run only on that target. */
    record Target(String name) implements HeaderStatement {
    }

    /**
     * {@code boot [ram=SIZE] [cpus=N] [phoenix] [POLICY=VALUE]...}; what is left out is the target's
     * default, and the policies are applied after the command line's.
     */
    record Boot(Optional<Expr> ram, Optional<Expr> cpus, pvm.kernel.PolicyChoice policies) implements HeaderStatement {

        /** A boot with everything at the target's default. */
        static final Boot DEFAULT = new Boot(Optional.empty(), Optional.empty(), pvm.kernel.PolicyChoice.NONE);
    }

    /**
     * {@code spawn P [stack SIZE] [heap SIZE]}; with a stack, {@code $P.stack} and {@code $P.stacktop}
     * name its bounds; {@code heap} sets room aside for the break.
     */
    record Spawn(String process, Optional<Expr> stack, Optional<Expr> heap) implements Statement {

        /** {@code spawn P}: an empty address space. */
        public Spawn(String process) {
            this(process, Optional.empty(), Optional.empty());
        }
    }

    /** {@code [$v =] P sbrk N}: moves the break by N, which may be negative ({@code -1P}); the old break. */
    record Sbrk(Optional<String> variable, String process, Expr increment) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code [$v =] P brk ADDR}: sets the break; the new break. */
    record Brk(Optional<String> variable, String process, Expr address) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code fork P Q}. */
    record Fork(String parent, String child) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(parent);
        }
    }

    /** {@code vfork P Q}. */
    record Vfork(String parent, String child) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(parent);
        }
    }

    /** {@code exit P}. */
    record Exit(String process) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /**
     * {@code file F SIZE [fill BYTE | pattern]}.
     *
     * @param fill the byte every position holds, or empty for the pattern {@code (i * 31 + 7) & 0xff}
     */
    record FileDecl(String name, Expr size, Optional<Expr> fill) implements Statement {

        /** The byte at {@code i} of a pattern-filled file. */
        public static int patternByte(long i) {
            return (int) ((i * 31 + 7) & 0xff);
        }
    }

    /** {@code file F OFFSET} at the end of an mmap: what the mapping is backed by. */
    record MappedFile(String name, Expr offset) {
    }

    /**
     * {@code [$v =] P mmap ADDR LEN PROT FLAGS [file F OFFSET]}.
     *
     * @param variable the variable that receives the mapped address
     * @param prot {@code Prot} bits ({@code USER} is the kernel's to add)
     * @param flags {@code MapFlags} bits; {@code private} and {@code shared} are 0 there
     * @param sharing which of {@code private} and {@code shared} was written
     */
    record Mmap(Optional<String> variable, String process, Expr address, Expr length, int prot, int flags,
            Sharing sharing, Optional<MappedFile> file, Optional<Expr> physical) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P munmap ADDR LEN}. */
    record Munmap(String process, Expr address, Expr length) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P mprotect ADDR LEN PROT}. */
    record Mprotect(String process, Expr address, Expr length, int prot) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P store W ADDR VALUE}; {@code width} is 8, 16 or 32. */
    record Store(String process, int width, Expr address, Expr value) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code [$v =] P load W ADDR}; {@code width} is 8, 16 or 32. */
    record Load(Optional<String> variable, String process, int width, Expr address) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P fill ADDR LEN BYTE}. */
    record Fill(String process, Expr address, Expr length, Expr value) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P check ADDR LEN BYTE}. */
    record Check(String process, Expr address, Expr length, Expr value) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P checkfile ADDR LEN F OFFSET}. */
    record CheckFile(String process, Expr address, Expr length, String file, Expr offset) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P copy DST SRC LEN}: within one address space, as a loop of one-byte loads and stores. */
    record Copy(String process, Expr destination, Expr source, Expr length) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /**
     * {@code copy P DST Q SRC LEN}: from {@code SRC} in {@code Q} to {@code DST} in {@code P}, as
     * the kernel copies between two address spaces. Acts for both; {@link #actor()} names {@code P}.
     */
    record CopyBetween(String to, Expr destination, String from, Expr source, Expr length) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(to);
        }
    }

    /** {@code [$v =] kernel OPERATION ...}: the kernel's own allocations and regions ({@link KernelStatements}). */
    record Kernel(Optional<String> variable, KernelStatements.Op op) implements Statement {
    }

    /** {@code mark M}. */
    record Mark(String name) implements Statement {
    }

    /**
     * {@code mem [-m [P|PID|kernel] | -p | -s | -h]}: psh's {@code mem} with psh's arguments and
     * output; {@code args} are the words after {@code mem} as written ({@code -m}, {@code 3}).
     */
    record Mem(List<String> args) implements Statement {
        public Mem {
            args = List.copyOf(args);
        }
    }

    /**
     * {@code show WHAT [P]}, {@code show walk ADDR [P]}.
     *
     * @param address the address to walk (only for {@link View#WALK})
     * @param process the process whose map or walk is shown; empty for the kernel's
     */
    record Show(View view, Optional<Expr> address, Optional<String> process) implements Statement {
        @Override
        public Optional<String> actor() {
            return process;
        }
    }

    /** {@code expect STATEMENT -> OUTCOME}; the statement is never a header or another expect. */
    record Expect(Statement statement, Outcome outcome) implements Statement {
        @Override
        public Optional<String> actor() {
            return statement.actor();
        }
    }

    /** {@code expect P load W ADDR == VALUE}. */
    record ExpectLoad(String process, int width, Expr address, Expr value) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code P volatile ADDR LEN}: the anonymous memory of the range may be purged (SerenityOS's purgeable memory). */
    record Volatile(String process, Expr address, Expr length) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code [$lost =] P nonvolatile ADDR LEN}: ordinary memory again; 1 when any of it was purged meanwhile, else 0. */
    record Nonvolatile(Optional<String> variable, String process, Expr address, Expr length) implements Statement {
        @Override
        public Optional<String> actor() {
            return Optional.of(process);
        }
    }

    /** {@code purge}: every volatile page is purged now. */
    record Purge() implements Statement {
    }

    /**
     * {@code inject ENOMEM [always] after N} and {@code inject off} ({@link Injection}): fail the
     * allocation after {@code N} more succeed (every one from there with {@code always}); an empty
     * {@code after} switches injection off.
     */
    record Inject(Optional<Expr> after, boolean always) implements Statement {
    }

    /** {@code expect unchanged M}. */
    record ExpectUnchanged(String mark) implements Statement {
    }

    /** {@code expect verify}. */
    record ExpectVerify() implements Statement {
    }
}
