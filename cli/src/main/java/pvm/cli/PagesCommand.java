package pvm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Sizes;
import pvm.scenario.TextFile;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.Coalescing;
import pvm.vm.page.TraceReplay;

/**
 * {@code pvm pages}: replays an allocation trace on a bare buddy allocator, so pvm's allocation
 * order can be compared with Phoenix's address for address. The pages, their letters and the
 * {@code page_t} size are those of the default target.
 */
@Command(name = "pages", mixinStandardHelpOptions = true, description = "Replay an allocation trace (alloc SIZE / free N) on a bare buddy allocator.")
final class PagesCommand implements Callable<Integer> {

    @Option(names = "--ram", required = true, description = "RAM size at physical address 0, e.g. 128M (at most what an i686 PC can have, 4G)")
    String ram;

    @Option(names = "--reserve", defaultValue = "0", description = "bytes taken at the start of RAM (default: 0)")
    String reserve;

    @Option(names = "--trace", required = true, description = "the trace file")
    Path trace;

    @Option(names = "--coalescing", defaultValue = "complete", paramLabel = "complete|phoenix",
            description = "how freed blocks merge: always (complete, the default) or as Phoenix's vm_pageFree does (phoenix)")
    String coalescing;

    @Override
    public Integer call() {
        var target = Architectures.named(Main.DEFAULT_ARCH);
        if (target.isLeft()) {
            System.err.println("pvm: " + target.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        Architecture arch = target.get();
        int pageSize = arch.pageSize();
        long ramBytes;
        long reserveBytes;
        try {
            ramBytes = Sizes.parse(ram);
            reserveBytes = Sizes.parse(reserve);
        } catch (NumberFormatException e) {
            System.err.println("pvm: " + e.getMessage());
            return ExitStatus.BAD_INPUT;
        }
        if (ramBytes < pageSize || ramBytes % pageSize != 0 || reserveBytes > ramBytes) {
            System.err.println("pvm: --ram must be a positive multiple of " + pageSize + " and --reserve at most --ram");
            return ExitStatus.BAD_INPUT;
        }
        // The page-frame table is on the heap: bounded by the most RAM the target can have.
        if (ramBytes > arch.maxRam()) {
            System.err.println("pvm: --ram is at most " + Sizes.human(arch.maxRam()) + " (the most an " + arch.name()
                    + " machine has), not " + Sizes.human(ramBytes));
            return ExitStatus.BAD_INPUT;
        }
        var text = TextFile.read(trace);
        if (text.isLeft()) {
            System.err.println(text.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        List<String> lines = text.get().lines().toList();
        Coalescing merging = Coalescing.POLICY.parse(coalescing);
        if (merging == null) {
            System.err.println("pvm: --coalescing is one of " + String.join(", ", Coalescing.POLICY.spellings()) + ", not '" + coalescing + "'");
            return ExitStatus.BAD_INPUT;
        }
        BuddyPageAllocator allocator = BuddyPageAllocator.bare(ramBytes, reserveBytes, pageSize, arch::marker,
                arch.abi().pageT(), merging);
        return TraceReplay.replay(allocator, lines, trace.toString()).fold(error -> {
            System.err.println(error);
            return ExitStatus.BAD_INPUT;
        }, output -> {
            output.forEach(System.out::println);
            return ExitStatus.OK;
        });
    }
}
