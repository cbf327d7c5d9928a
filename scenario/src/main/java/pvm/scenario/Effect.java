package pvm.scenario;

import java.util.List;
import pvm.hal.pmap.VmError;
import pvm.kernel.Segv;

/**
 * What a statement did, before anyone judges it: an {@code expect} compares it with its outcome,
 * a bare statement passes only when it is {@link Done}.
 */
sealed interface Effect {

    /** It worked; {@code result} is what the run prints after the arrow. */
    record Done(String result, List<String> details) implements Effect {
        Done(String result) {
            this(result, List.of());
        }
    }

    /** A system call returned an errno. */
    record Failed(VmError error) implements Effect {
    }

    /** An access faulted and the kernel could not resolve it: SIGSEGV. */
    record Faulted(Segv segv) implements Effect {
    }

    /** The effect as an outcome word: {@code ok}, {@code SEGV}, {@code OOM} or the errno. */
    static String outcomeOf(Effect e) {
        return switch (e) {
            case Done d -> "ok";
            case Failed f -> f.error().errno();
            case Faulted f -> f.segv().outOfMemory() ? "OOM" : "SEGV";
        };
    }

    /** The effect in a few words, for a report that it was not the one expected. */
    static String describe(Effect e) {
        return switch (e) {
            case Done d -> d.result().isEmpty() || d.result().equals("ok") ? "ok" : "ok (" + d.result() + ")";
            case Failed f -> f.error().errno() + " (" + f.error().message() + ")";
            case Faulted f -> outcomeOf(f);
        };
    }

    /** Detail lines worth printing under the result: a SIGSEGV's report. */
    static List<String> details(Effect e) {
        return switch (e) {
            case Done d -> d.details();
            case Failed f -> List.of();
            case Faulted f -> List.of(f.segv().describe());
        };
    }
}
