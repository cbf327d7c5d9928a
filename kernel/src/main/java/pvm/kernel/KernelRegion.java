package pvm.kernel;

import java.util.Optional;
import pvm.hal.pmap.MapFlags;

/**
 * One region of the kernel map the kernel made for a driver, as SerenityOS's {@code Memory::Region}
 * of the kernel's address space: contiguous RAM for DMA, or a device's physical range (MMIO).
 *
 * @param kind what the region holds
 * @param vaddr its first kernel virtual address (on a target without an MMU, its physical address)
 * @param paddr its first physical address
 * @param size its bytes, whole pages
 * @param type the memory type it was mapped with
 * @param frame the page-frame index of a DMA region's block, -1 for MMIO (no pages of the allocator)
 */
public record KernelRegion(Kind kind, long vaddr, long paddr, long size, MemoryType type, int frame) {

    /** What a region holds. */
    public enum Kind {
        /** RAM from the page allocator, physically contiguous, zeroed ({@code kernel dma}). */
        DMA("dma"),
        /** A device's physical range, not RAM ({@code kernel mmio}). */
        MMIO("mmio");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /**
     * SerenityOS's {@code MemoryType}: how the CPU may cache the region. Each is a mapping flag of
     * Phoenix's {@code mman.h} that {@code vm_flagsToAttr} turns into a {@code PGHD_*} attribute, which
     * the architecture encodes as it can (i686: PCD and PWT; see docs/differences.md for the others).
     */
    public enum MemoryType {
        /** Write-back cached, as all RAM: {@code MemoryType::Normal}. */
        NORMAL("normal", MapFlags.NONE),
        /** {@code MAP_UNCACHED}, {@code PGHD_NOT_CACHED}: SerenityOS's {@code NonCacheable} (i686: PCD, "UC-"). */
        UNCACHED("uncached", MapFlags.UNCACHED),
        /** {@code MAP_DEVICE}, {@code PGHD_DEV}: strongly uncached device memory, SerenityOS's {@code IO} (i686: PCD and PWT, "UC"). */
        IO("io", MapFlags.DEVICE);

        private final String word;
        private final int mapFlags;

        MemoryType(String word, int mapFlags) {
            this.word = word;
            this.mapFlags = mapFlags;
        }

        public String word() {
            return word;
        }

        /** The {@link MapFlags} bits that ask for this type. */
        public int mapFlags() {
            return mapFlags;
        }

        public static Optional<MemoryType> named(String word) {
            for (MemoryType t : values()) {
                if (t.word.equals(word)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** One past the last virtual address. */
    public long end() {
        return vaddr + size;
    }
}
