package pvm.kernel;

import java.util.ArrayList;
import java.util.List;
import pvm.vm.page.PageInfo;

/**
 * Phoenix's {@code meminfo_t} as {@code vm_meminfo} fills it: pages (allocated, free, boot, the
 * size of {@code page_t}), map entries (pool total and free, per process and in the kernel map).
 *
 * @param page the page part ({@code vm_pageinfo})
 * @param entriesTotal map entries in the pool ({@code entry.total})
 * @param entriesFree map entries free in the pool ({@code entry.free})
 * @param kernelEntries entries in the kernel map ({@code entry.kmapsz})
 * @param processEntries entries per live process, "name=count"
 * @param kmallocBytes bytes allocated by kmalloc
 */
public record MemInfo(PageInfo page, long entriesTotal, long entriesFree, int kernelEntries, List<String> processEntries,
                      long kmallocBytes) {

    static MemInfo of(Machine machine) {
        List<String> perProcess = new ArrayList<>();
        for (Process p : machine.processes()) {
            perProcess.add(p.name() + "=" + (p.ownsMap() ? p.map().entryCount() : p.map().entries(p.memoryOwner()).size()));
        }
        return new MemInfo(machine.pages().info(), machine.maps().entriesTotal(), machine.maps().entriesFree(),
                machine.maps().kernelMap().entries().size(), List.copyOf(perProcess), machine.kmalloc().allocatedBytes());
    }

    /** The summary {@code show mem} prints. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("pages:   %d KiB allocated, %d KiB free, %d KiB boot, page_t=%d bytes",
                page.alloc() / 1024, page.free() / 1024, page.boot() / 1024, page.pageDescriptorSize()));
        lines.add(String.format("entries: %d of %d in use, %d in the kernel map%s", entriesTotal - entriesFree, entriesTotal,
                kernelEntries, processEntries.isEmpty() ? "" : ", per process " + String.join(" ", processEntries)));
        lines.add(String.format("kmalloc: %d bytes allocated", kmallocBytes));
        return lines;
    }
}
