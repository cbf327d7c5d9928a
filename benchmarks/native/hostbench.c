/*
 * The host's side of pvm's figures: the same patterns as the JMH benchmarks, on the Linux kernel
 * and glibc this machine runs, so every ratio is measured side by side in one invocation of
 * benchmarks/run. Prints NAME VALUE UNIT lines.
 *
 *   linuxFault     mmap anonymous, first store to each page, munmap: ns per first-touch fault
 *   linuxMunmap    munmap of resident anonymous pages: ns per page
 *   linuxFork64M   fork of a process with 64 MiB resident, child exits at once: ms per fork+wait
 *   glibcPairs     malloc+free pairs over {16..4096} bytes, fixed seed: ns per pair
 *   glibcLive4096  4096 live blocks, free a random one and allocate a new one: ns per step
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const size_t sizes[] = {16, 32, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static uint64_t state = 0x5eed;

/* xorshift64*, the generator the JMH benchmarks use */
static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1DULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void fault_and_munmap(int rounds, double *fault_ns, double *munmap_ns)
{
	const size_t pages = 256, page = (size_t)sysconf(_SC_PAGESIZE), bytes = pages * page;
	double faults = 0, unmaps = 0;
	for (int r = 0; r < rounds; r++) {
		volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		double t0 = now();
		for (size_t i = 0; i < bytes; i += page) {
			p[i] = 1;
		}
		double t1 = now();
		munmap((void *)p, bytes);
		double t2 = now();
		faults += t1 - t0;
		unmaps += t2 - t1;
	}
	*fault_ns = faults / ((double)rounds * pages);
	*munmap_ns = unmaps / ((double)rounds * pages);
}

static double fork64m(int rounds)
{
	const size_t bytes = 64u << 20, page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (size_t i = 0; i < bytes; i += page) {
		p[i] = 1;
	}
	double total = 0;
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		pid_t pid = fork();
		if (pid == 0) {
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		total += now() - t0;
	}
	munmap(p, bytes);
	return total / rounds / 1e6;
}

static double glibc_pairs(long steps)
{
	double t0 = now();
	for (long i = 0; i < steps; i++) {
		void *b = malloc(sizes[next() % NSIZES]);
		__asm__ volatile("" : : "r"(b) : "memory");
		free(b);
	}
	return (now() - t0) / steps;
}

static double glibc_live(long steps)
{
	enum { LIVE = 4096 };
	static void *live[LIVE];
	for (int i = 0; i < LIVE; i++) {
		live[i] = malloc(sizes[next() % NSIZES]);
	}
	double t0 = now();
	for (long i = 0; i < steps; i++) {
		unsigned v = (unsigned)(next() % LIVE);
		free(live[v]);
		live[v] = malloc(sizes[next() % NSIZES]);
	}
	double ns = (now() - t0) / steps;
	for (int i = 0; i < LIVE; i++) {
		free(live[i]);
	}
	return ns;
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	double fault, unmap;

	fault_and_munmap(quick ? 200 : 2000, &fault, &unmap);
	printf("linuxFault %.1f ns/op\n", fault);
	printf("linuxMunmap %.1f ns/op\n", unmap);
	printf("linuxFork64M %.2f ms/op\n", fork64m(quick ? 20 : 100));
	glibc_pairs(1000000); /* warm up */
	printf("glibcPairs %.1f ns/op\n", glibc_pairs(quick ? 5000000 : 50000000));
	printf("glibcLive4096 %.1f ns/op\n", glibc_live(quick ? 5000000 : 50000000));
	return 0;
}
