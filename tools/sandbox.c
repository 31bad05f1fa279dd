/* sandbox.c - the only file that touches libseccomp. Workers run untrusted
 * decoders (FFmpeg, libjpeg-turbo, stb_image, libsndfile...) on files from
 * the internet; if one is exploited, the process it owns can read only the
 * descriptors it was handed and write only to its parent. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>

#if defined(KS_HAVE_SECCOMP) && !defined(KS_SANITIZE)
#include <seccomp.h>
#define USE_SECCOMP 1
#endif

static void set_limit(int res, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};
    setrlimit(res, &rl);
}

#ifndef KS_SANITIZE
/* Address space already mapped (program, shared libraries, heap): ~190 MB
 * for kitsch with FFmpeg, FFTW and aubio loaded, before any input. */
static int64_t mapped_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long pages = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%lld", &pages) != 1)
        pages = 0;
    fclose(f);
    long psz = sysconf(_SC_PAGESIZE);
    return pages > 0 && psz > 0 ? (int64_t)pages * psz : 0;
}
#endif

void ks_sandbox_limits(int64_t max_memory, int relaxed)
{
    set_limit(RLIMIT_CORE, 0, 0);
#ifndef KS_SANITIZE
    /* --max-memory is what the analysis may use, on top of what is mapped
     * already: as a bare RLIMIT_AS, --max-memory 128 (accepted) left no
     * room at all and every input failed with "memory". */
    if (max_memory > 0) {
        rlim_t lim = (rlim_t)(mapped_bytes() + max_memory);
        set_limit(RLIMIT_AS, lim, lim);
    }
#else
    (void)max_memory;
#endif
    if (relaxed)
        return;
    set_limit(RLIMIT_FSIZE, 0, 0);
    set_limit(RLIMIT_NOFILE, 64, 64);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

void ks_sandbox_cpu_budget(double seconds)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return;
    double used = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
                  ru.ru_stime.tv_usec * 1e-6;
    rlim_t soft = (rlim_t)(used + seconds + 1);
    set_limit(RLIMIT_CPU, soft, soft + 5);
}

#ifdef USE_SECCOMP
int ks_sandbox_seccomp(void)
{
    /* Anything not listed fails with EPERM rather than killing the worker:
     * a library probing /proc or isatty() then degrades gracefully, while
     * open/exec/socket/connect stay impossible. */
    static const long allow[] = {
        SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev), SCMP_SYS(pread64),
        SCMP_SYS(lseek), SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(close),
        SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect), SCMP_SYS(brk),
        SCMP_SYS(madvise), SCMP_SYS(futex), SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(set_robust_list),
        SCMP_SYS(rseq), SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigaction),
        SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack), SCMP_SYS(getpid),
        SCMP_SYS(gettid), SCMP_SYS(tgkill), SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep),
        SCMP_SYS(nanosleep), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity), SCMP_SYS(getrandom),
        SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(getrusage), SCMP_SYS(prlimit64),
        SCMP_SYS(setrlimit), SCMP_SYS(getrlimit), SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(fcntl),
        SCMP_SYS(uname), SCMP_SYS(membarrier), SCMP_SYS(getcpu), SCMP_SYS(sysinfo), SCMP_SYS(gettimeofday),
        SCMP_SYS(time), SCMP_SYS(set_tid_address), SCMP_SYS(getuid), SCMP_SYS(geteuid),
        SCMP_SYS(getppid), SCMP_SYS(sched_setaffinity), SCMP_SYS(restart_syscall),
    };
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    int rc = -1;
    if (!ctx)
        return -1;
    for (size_t i = 0; i < sizeof allow / sizeof allow[0]; i++) /* NOLINT */
        if (allow[i] >= 0 && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allow[i], 0) != 0)
            goto done;
    if (seccomp_load(ctx) != 0)
        goto done;
    rc = 0;
done:
    seccomp_release(ctx);
    return rc;
}

const char *ks_sandbox_kind(void) { return "seccomp allow-list + rlimits"; }
#else
int ks_sandbox_seccomp(void) { return -1; }
const char *ks_sandbox_kind(void) { return "rlimits only"; }
#endif
