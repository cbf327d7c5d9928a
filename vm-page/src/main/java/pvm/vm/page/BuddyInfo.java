package pvm.vm.page;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.BootMemoryMap;

/**
 * The free blocks as Linux's {@code /proc/buddyinfo} shows them: one row per memory bank, one
 * column per order with its block size in the header, empty orders shown as 0. The same table is
 * printed by every view of free memory ({@code show buddy}, {@code pvm boot}, the demo,
 * {@code pvm pages}) for both allocators: the queue allocator's free pages are blocks of one page.
 */
public final class BuddyInfo {

    /** A column is this wide: a count up to 99999 or a size such as {@code 512K}. */
    private static final int COLUMN = 6;

    private BuddyInfo() {
    }

    /**
     * The table of {@code blocks} bucketed by the bank each starts in, with a column for every order
     * from {@code minOrder} (one page) to the largest block the largest bank could hold.
     */
    public static List<String> table(List<BootMemoryMap.Bank> banks, List<FreeBlock> blocks, int minOrder) {
        int maxOrder = minOrder;
        int labelWidth = "bank".length();
        for (BootMemoryMap.Bank b : banks) {
            long size = b.end() - b.start();
            if (size > 0) {
                maxOrder = Math.max(maxOrder, 63 - Long.numberOfLeadingZeros(size));
            }
            labelWidth = Math.max(labelWidth, b.name().length());
        }
        for (FreeBlock f : blocks) {
            maxOrder = Math.max(maxOrder, f.order());
        }
        long[][] counts = new long[banks.size()][maxOrder - minOrder + 1];
        for (FreeBlock f : blocks) {
            for (int i = 0; i < banks.size(); i++) {
                if (f.addr() >= banks.get(i).start() && f.addr() < banks.get(i).end()) {
                    counts[i][f.order() - minOrder]++;
                    break;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(pad("bank", labelWidth));
        for (int order = minOrder; order <= maxOrder; order++) {
            header.append(leftPad(blockSize(order), COLUMN));
        }
        lines.add(header.toString());
        for (int i = 0; i < banks.size(); i++) {
            StringBuilder row = new StringBuilder(pad(banks.get(i).name(), labelWidth));
            for (long c : counts[i]) {
                row.append(leftPad(Long.toString(c), COLUMN));
            }
            lines.add(row.toString());
        }
        return lines;
    }

    /** {@code 4K}, {@code 512}, {@code 2M}, {@code 1G}: a block of {@code 1 << order} bytes. */
    static String blockSize(int order) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        return (1L << (order % 10)) + units[order / 10];
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String leftPad(String s, int width) {
        return " ".repeat(Math.max(1, width - s.length())) + s;
    }
}
