package pvm.cli;

import java.util.List;
import java.util.Map;
import pvm.scenario.View;

/** What {@code help} prints in {@code pvm shell}: every statement and view in a line each. */
final class ShellHelp {

    /** One line per view; a test checks that every {@link View} has one. */
    static final Map<View, String> VIEWS = Map.of(
            View.PAGES, "the physical page map, one letter per page",
            View.MEM, "free and used memory, as psh's mem prints it",
            View.MAP, "the map entries of process P (of the kernel without P)",
            View.BUDDY, "the page allocator's free blocks per order",
            View.KMALLOC, "kmalloc's zones and what is allocated in them",
            View.OBJECTS, "the memory objects and their references",
            View.WALK, "the MMU's walk of an address (the MPU's verdict without an MMU)",
            View.PROCESSES, "the processes alive, with their pids",
            View.VARS, "the $variables and their values",
            View.STATS, "SerenityOS's address-space figures of P, in KiB (show stats P)");

    private static final List<String> STATEMENTS = List.of(
            "spawn P                          start a process with an empty address space",
            "spawn P [stack SIZE] [heap SIZE] ... with a guard-paged stack ($P.stack, $P.stacktop), room for the heap",
            "[$v =] P sbrk N | P brk ADDR     move P's break (N may be -1P; sbrk answers the old break)",
            "fork P C | vfork P C             P forks (or vforks) a child C",
            "exit P                           P exits; its memory goes back",
            "$a = P mmap ADDR SIZE PROT FLAGS map memory (ADDR 0: the kernel chooses), e.g. 0 4P rw private,anon",
            "P munmap ADDR SIZE               unmap a range",
            "P mprotect ADDR SIZE PROT        change a range's protection (none, r, rw, rx, rwx)",
            "P store W ADDR VALUE             write a W-bit value (8, 16, 32, 64), faulting pages in",
            "[$v =] P load W ADDR             read a W-bit value",
            "P fill ADDR SIZE BYTE            write BYTE over a range;  P check ADDR SIZE BYTE reads it back",
            "file F SIZE [fill BYTE|pattern]  a file to map with 'mmap ... file F OFFSET'; P checkfile ADDR SIZE F OFFSET",
            "P copy DST SRC SIZE              copy a range within P;  copy P DST Q SRC SIZE: the kernel copies from Q to P",
            "P volatile ADDR SIZE             SerenityOS's purgeable memory; [$v =] P nonvolatile ADDR SIZE is 1 if purged; purge",
            "mark M                           remember the memory accounting now",
            "mem [-m P|kernel] [-p] [-s]      psh's mem command",
            "$k = kernel kmalloc N            the kernel's heap: also kzalloc N, kcalloc N SIZE, krealloc $k N, kfree $k, selftest",
            "$d = kernel dma SIZE [uncached|io]   a DMA buffer; kernel mmio PADDR SIZE, kernel unmap $d, phys $d, regions",
            "inject ENOMEM [always] after N   fail the allocation after the next N (every one, with always); inject off",
            "expect STATEMENT -> OUTCOME      the statement must give ok, SEGV, OOM or an errno (ENOMEM, EINVAL, ...)",
            "expect P load W ADDR == VALUE    the value read must be VALUE",
            "expect unchanged M               the accounting must be as at mark M",
            "expect verify                    every layer's invariants must hold",
            "requires mmu|nommu, target NAME, boot [ram=SIZE] [cpus=N]   headers: only before anything else",
            "show VIEW [P]                    print a view (below); 'show walk ADDR [P]'");

    private ShellHelp() {
    }

    static List<String> lines() {
        List<String> out = new java.util.ArrayList<>();
        out.add("Statements (sizes take K, M, P for pages: 4P; values and addresses may be $a+1P):");
        STATEMENTS.forEach(s -> out.add("  " + s));
        out.add("Views (show VIEW):");
        for (View v : View.values()) {
            out.add(String.format("  %-10s %s", v.keyword(), VIEWS.get(v)));
        }
        out.add("Shell: help, quit or exit (or Ctrl-D) leaves; Tab completes; history is kept in ~/.pvm_history.");
        out.add("The whole language: docs/scenario-language.md");
        return out;
    }
}
