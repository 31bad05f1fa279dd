/* sandbox.h - limits and the system-call allow-list of decode workers. */
#ifndef KITSCH_SANDBOX_H
#define KITSCH_SANDBOX_H
#include <stdint.h>

/* Resource limits: address space = what is mapped now + max_memory
 * (skipped in sanitizer builds, which reserve terabytes of shadow memory and
 * enforce their own limits), no core files, no file writes, few
 * descriptors, no new privileges. */
void ks_sandbox_limits(int64_t max_memory, int relaxed);
/* Allow-list of system calls once the worker only needs the descriptors it
 * is handed: no open, no exec, no sockets. Returns 0, or -1 if unavailable
 * (no libseccomp at build time, or a sanitizer build). */
int ks_sandbox_seccomp(void);
/* Give the next input `seconds` of CPU time from now (RLIMIT_CPU soft limit):
 * a backstop under the parent's wall-clock timeout. */
void ks_sandbox_cpu_budget(double seconds);
/* "seccomp" when the allow-list is compiled in, else "rlimits only". */
const char *ks_sandbox_kind(void);
#endif
