/**
 * Physical page allocation, Phoenix-RTOS {@code vm/page.c} and {@code vm/page-nommu.c}.
 *
 * <p>{@link pvm.vm.page.PageAllocator} is what the layers above call; {@link
 * pvm.vm.page.BuddyPageAllocator} serves targets with an MMU and {@link
 * pvm.vm.page.QueuePageAllocator} those without. Both keep their state in the HAL's
 * {@link pvm.hal.pmap.PageFrames} table, so the hot path allocates nothing. {@link
 * pvm.vm.page.TraceReplay} drives a bare buddy allocator from a trace file.
 */
package pvm.vm.page;
