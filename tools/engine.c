/* engine.c - the batch runner behind `kitsch analyze`.
 *
 * Shape: the parent walks the inputs, opens each file itself (so workers
 * never need open(2) and can be sandboxed), and hands the descriptor to a
 * long-lived worker process over a UNIX socket (SCM_RIGHTS). The worker
 * sniffs, hashes and analyses, and sends back one JSON line. The parent is
 * the single writer: it appends whole lines, fdatasyncs in groups, kills a
 * worker that overruns its wall-clock budget, turns a dead worker into an
 * error record ("timeout", "memory", "crashed") and starts a new one.
 * A crafted file can therefore cost at most its own record.
 *
 * Worker -> parent messages: 1 byte type + 4 byte length + payload
 *   'D' payload = double: seconds of budget from now (sent after sniffing,
 *       and again by analyzers that learn the media duration)
 *   'R' payload = one JSON record line (no newline)
 * Parent -> worker task: int64 seq + uint32 path length + path, with the
 * input's fd attached as SCM_RIGHTS.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "json.h"
#include "sandbox.h"
#include "sniff.h"
#include "text.h"
#include "image.h"
#include "audio.h"
#include "video.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MOD_UNKNOWN, MOD_TEXT, MOD_AUDIO, MOD_IMAGE, MOD_VIDEO };
static const char *const MOD_NAMES[] = {"unknown", "text", "audio", "image", "video"};
static const ks_analyze_fn ANALYZERS[] = {NULL, ks_text_analyze, ks_audio_analyze, ks_image_analyze,
                                          ks_video_analyze};

#define OOM_EXIT 99 /* a worker that ran out of memory exits with this */

static int mod_index(const char *m)
{
    for (int i = 1; i < 5; i++)
        if (strcmp(m, MOD_NAMES[i]) == 0)
            return i;
    return MOD_UNKNOWN;
}

void ks_run_opts_default(ks_run_opts *o)
{
    memset(o, 0, sizeof *o);
    ks_options_default(&o->opt);
    o->timeout_s[MOD_UNKNOWN] = 10;
    o->timeout_s[MOD_TEXT] = 10;
    o->timeout_s[MOD_AUDIO] = 10;
    o->timeout_s[MOD_IMAGE] = 10;
    o->timeout_s[MOD_VIDEO] = 60; /* per minute of media, at least this */
    o->max_memory = 1ll << 30;
}

/* ------------------------------------------------------------------ */
/* Input collection                                                    */

typedef struct inputs {
    char **path;
    size_t n, cap;
    /* open-addressing set of path hashes for de-duplication */
    uint64_t *set;
    size_t setcap, setcount;
} inputs;

static int set_add(uint64_t **set, size_t *cap, size_t *count, uint64_t h)
{
    if (h == 0)
        h = 1;
    if ((*count + 1) * 2 > *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        uint64_t *ns = x_calloc(ncap, sizeof *ns);
        for (size_t i = 0; i < *cap; i++)
            if ((*set)[i]) {
                size_t j = (*set)[i] & (ncap - 1);
                while (ns[j])
                    j = (j + 1) & (ncap - 1);
                ns[j] = (*set)[i];
            }
        x_free(*set);
        *set = ns;
        *cap = ncap;
    }
    size_t j = h & (*cap - 1);
    while ((*set)[j]) {
        if ((*set)[j] == h)
            return 0;
        j = (j + 1) & (*cap - 1);
    }
    (*set)[j] = h;
    (*count)++;
    return 1;
}

static int set_has(const uint64_t *set, size_t cap, uint64_t h)
{
    if (!cap)
        return 0;
    if (h == 0)
        h = 1;
    size_t j = h & (cap - 1);
    while (set[j]) {
        if (set[j] == h)
            return 1;
        j = (j + 1) & (cap - 1);
    }
    return 0;
}

static uint64_t path_hash(const char *p) { return ks_hash64(p, strlen(p), 0x70617468ull); }

static void inputs_add(inputs *in, const char *path)
{
    /* 64-bit hashes: a collision among a billion paths is ~3e-2 % likely;
     * acceptable for de-duplicating a batch list. */
    if (!set_add(&in->set, &in->setcap, &in->setcount, path_hash(path)))
        return;
    if (in->n == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 256;
        in->path = x_realloc(in->path, in->cap * sizeof *in->path);
    }
    in->path[in->n++] = x_strdup(path);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct dirkey {
    dev_t dev;
    ino_t ino;
} dirkey;

/* Recursive walk in sorted order (deterministic record order). Symlinks
 * are followed, but a directory already on the current path (same dev and
 * inode) is not entered again, so loops end. Hidden entries are skipped in
 * folders (.git, .DS_Store); a file named explicitly is never skipped. */
static void walk(inputs *in, const char *dir, dirkey *stack, int depth)
{
    struct stat st;
    if (depth >= 64 || stat(dir, &st) != 0)
        return;
    for (int i = 0; i < depth; i++)
        if (stack[i].dev == st.st_dev && stack[i].ino == st.st_ino)
            return;
    stack[depth].dev = st.st_dev;
    stack[depth].ino = st.st_ino;
    DIR *d = opendir(dir);
    if (!d) {
        inputs_add(in, dir); /* becomes an error record (permission) */
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = x_realloc(names, cap * sizeof *names);
        }
        names[n++] = x_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    size_t dl = strlen(dir);
    int slash = dl > 0 && dir[dl - 1] == '/';
    for (size_t i = 0; i < n; i++) {
        size_t len = dl + strlen(names[i]) + 2;
        char *p = x_malloc(len);
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat cs;
        if (stat(p, &cs) == 0 && S_ISDIR(cs.st_mode))
            walk(in, p, stack, depth + 1);
        else if (stat(p, &cs) != 0 || S_ISREG(cs.st_mode))
            inputs_add(in, p); /* dangling symlinks become error records */
        /* fifos, sockets and devices inside folders are not inputs */
        x_free(p);
        x_free(names[i]);
    }
    x_free(names);
}

static void add_arg(inputs *in, const char *p)
{
    struct stat st;
    dirkey stack[64];
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
        walk(in, p, stack, 0);
    else
        inputs_add(in, p);
}

static int read_files_from(inputs *in, const char *src)
{
    FILE *f = strcmp(src, "-") == 0 ? stdin : fopen(src, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t k;
    while ((k = getline(&line, &cap, f)) > 0) {
        while (k > 0 && (line[k - 1] == '\n' || line[k - 1] == '\r'))
            line[--k] = '\0';
        if (k == 0)
            continue;
        /* Entries of a list are inputs as given: a directory here is an
         * error record ("not_a_file"), not a walk, so lists stay exact. */
        inputs_add(in, line);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Worker side                                                         */

static int g_sock = -1;
static const ks_run_opts *g_opts;

static int write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* One writev per message: every write to the socket wakes the parent, and
 * on a virtual machine a wake-up costs more than analysing a short text. */
static int send_msg(int fd, char type, const void *payload, uint32_t len)
{
    unsigned char hdr[5];
    if (fd < 0)
        return 0; /* --in-process: nobody to tell */
    hdr[0] = (unsigned char)type;
    memcpy(hdr + 1, &len, 4);
    struct iovec iov[2] = {{hdr, 5}, {(void *)payload, len}};
    size_t total = 5 + (size_t)len, sent = 0;
    while (sent < total) {
        ssize_t k = writev(fd, iov, 2);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        sent += (size_t)k;
        /* a short write (a signal mid-message): advance the vectors */
        for (int i = 0; i < 2; i++) {
            size_t d = (size_t)k < iov[i].iov_len ? (size_t)k : iov[i].iov_len;
            iov[i].iov_base = (char *)iov[i].iov_base + d;
            iov[i].iov_len -= d;
            k -= (ssize_t)d;
        }
    }
    return 0;
}

/* Seconds a task may run before the worker says more: the modality's
 * timeout plus reading and hashing the file at a pessimistic 10 MB/s. The
 * parent sets it at dispatch from the extension, the worker only corrects
 * it when its sniff disagrees, so a plain input costs one message. */
static double task_budget(const ks_run_opts *o, int mi, int64_t bytes)
{
    double t = mi == MOD_UNKNOWN ? o->timeout_s[MOD_VIDEO] + 5 : o->timeout_s[mi];
    return t + (double)(bytes > 0 ? bytes : 0) / 10e6;
}

static const char *guess_modality_opt(const ks_options *opt, const char *path)
{
    return opt->forced_modality ? opt->forced_modality : ks_sniff_extension(path);
}

static int g_cur_mod; /* modality of the input being analysed */

/* The analyzer reports its media duration; grant the modality's timeout per
 * minute of media, never less than the flat timeout. */
static void worker_extend(void *ctx, double media_seconds)
{
    (void)ctx;
    double t = g_opts->timeout_s[g_cur_mod];
    double budget = isfinite(media_seconds) && media_seconds > 60 ? t * media_seconds / 60.0 : t;
    send_msg(g_sock, 'D', &budget, sizeof budget);
}

static void worker_oom(void)
{
    /* Tell the parent this death is a memory limit, not a bug. */
    _exit(OOM_EXIT);
}

/* Fault injection for the reliability tests: KITSCH_FAULT="hang:X,oom:Y,crash:Z"
 * makes a worker hang, exhaust memory or crash on inputs whose path
 * contains X, Y or Z, so the parent's handling of each can be asserted on
 * real processes. Unset in normal use. */
static void maybe_inject_fault(const char *path)
{
    const char *spec = getenv("KITSCH_FAULT");
    if (!spec)
        return;
    static const char *const kinds[] = {"hang:", "oom:", "crash:"};
    for (int k = 0; k < 3; k++) {
        const char *p = strstr(spec, kinds[k]);
        if (!p)
            continue;
        p += strlen(kinds[k]);
        size_t n = strcspn(p, ",");
        char *needle = x_strndup(p, n);
        int hit = n > 0 && strstr(path, needle) != NULL;
        x_free(needle);
        if (!hit)
            continue;
        if (k == 0)
            for (;;)
                sleep(1000); /* not pause(): seccomp refuses it, so it would spin */
        if (k == 1)
            for (;;) {
                /* touch the pages so the limit, not overcommit, decides */
                char *b = x_malloc(64u << 20);
                memset(b, 1, 64u << 20);
            }
        if (k == 2)
            raise(SIGSEGV);
    }
}

static void analyze_fd(int fd, const char *path, int64_t seq, ks_record *r)
{
    const ks_options *opt = &g_opts->opt;
    struct stat st;
    unsigned char head[4096];
    const char *how = "magic";
    double t0 = cli_now();
    ks_options_hash(opt, r->config);
    r->path = x_strdup(path);
    r->seq = seq;
    if (fstat(fd, &st) != 0) {
        r->modality = x_strdup("unknown");
        ks_record_fail(r, KS_E_IO, "fstat: %s", strerror(errno));
        goto done;
    }
    r->bytes = st.st_size;
    ssize_t nh = pread(fd, head, sizeof head, 0);
    if (nh < 0) {
        r->modality = x_strdup(opt->forced_modality ? opt->forced_modality : ks_sniff_extension(path));
        ks_record_fail(r, errno == EISDIR ? KS_E_NOT_FILE : KS_E_IO, "read: %s", strerror(errno));
        goto done;
    }
    const char *mod = opt->forced_modality ? opt->forced_modality : ks_sniff(head, (size_t)nh, path, &how);
    if (opt->forced_modality)
        how = "forced";
    r->modality = x_strdup(mod);
    ks_record_set_info(r, KS_I_CORE_MODALITY_BY, how);
    int mi = mod_index(mod);
    g_cur_mod = mi;
    if (mi != mod_index(guess_modality_opt(opt, path))) {
        /* the parent budgeted for the extension's modality; correct it */
        double budget = task_budget(g_opts, mi, st.st_size);
        send_msg(g_sock, 'S', &budget, sizeof budget);
    }
    {
        /* Hash the bytes the analyzer will see: records are keyed by
         * content, so the same file under two names is recognisable. */
        ks_sha256 sh;
        ks_sha256_init(&sh);
        unsigned char *buf = x_malloc(1 << 16);
        off_t off = 0;
        for (;;) {
            ssize_t k = pread(fd, buf, 1 << 16, off);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            ks_sha256_update(&sh, buf, (size_t)k);
            off += k;
        }
        x_free(buf);
        ks_sha256_final(&sh, r->sha256);
    }
    if (st.st_size == 0) {
        ks_record_fail(r, KS_E_EMPTY, "the file is empty (0 bytes)");
        goto done;
    }
    if (st.st_size > opt->max_file_bytes) {
        ks_record_fail(r, KS_E_TOO_LARGE, "%lld bytes exceeds --max-file-bytes %lld", (long long)st.st_size,
                       (long long)opt->max_file_bytes);
        goto done;
    }
    if (mi == MOD_UNKNOWN) {
        ks_record_fail(r, KS_E_FORMAT, "unrecognised format (no known magic number or extension, not UTF-8 text)");
        goto done;
    }
    maybe_inject_fault(path);
    ks_input in = {path, fd, st.st_size, opt, worker_extend, NULL};
    int rc = ANALYZERS[mi](&in, r);
    if (rc < 0 && r->status == KS_STATUS_OK)
        ks_record_fail(r, rc, "%s", ks_error_meaning(rc));
    else if (rc == 0)
        r->status = KS_STATUS_OK;
done:
    r->elapsed_ms = (cli_now() - t0) * 1000.0;
}

static int recv_task(int sock, int *fd, int64_t *seq, char **path)
{
    unsigned char hdr[12];
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {hdr, sizeof hdr};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof cbuf;
    *fd = -1;
    ssize_t k;
    do
        k = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    while (k < 0 && errno == EINTR);
    if (k != (ssize_t)sizeof hdr)
        return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(fd, CMSG_DATA(c), sizeof(int));
    uint32_t plen;
    memcpy(seq, hdr, 8);
    memcpy(&plen, hdr + 8, 4);
    if (plen > (1u << 20))
        return -1;
    *path = x_malloc(plen + 1);
    size_t got = 0;
    while (got < plen) {
        k = read(sock, *path + got, plen - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            x_free(*path);
            *path = NULL;
            return -1;
        }
        got += (size_t)k;
    }
    (*path)[plen] = '\0';
    return 0;
}

static void tune_heap(void)
{
    /* A worker analyses file after file: keep freed heap instead of giving
     * it back to the kernel after every input (on small texts, trimming and
     * regrowing the heap cost 4x the analysis itself in brk calls and page
     * faults). Bounded by RLIMIT_AS like everything else. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

/* What both a worker and --in-process do before the first input. */
static void prepare_analysis(const ks_run_opts *o, int sock)
{
    g_opts = o;
    g_sock = sock;
    tune_heap();
    /* Files analyzers read besides their input (the text --lexicon) must be
     * loaded before seccomp forbids open(2); a failure is reported per record. */
    char prep_msg[256];
    (void)ks_text_prepare(&o->opt, prep_msg, sizeof prep_msg);
}

/* One input's record as a JSON line (caller frees); fd < 0: none arrived. */
static char *analyze_to_line(int fd, const char *path, int64_t seq, int *ok)
{
    ks_record r;
    ks_record_init(&r);
    if (fd < 0) {
        r.path = x_strdup(path);
        r.seq = seq;
        r.modality = x_strdup("unknown");
        ks_record_fail(&r, KS_E_INTERNAL, "no file descriptor received");
    } else {
        analyze_fd(fd, path, seq, &r);
        close(fd);
    }
    *ok = r.status == KS_STATUS_OK;
    char *line = ks_record_dump(&r);
    ks_record_clear(&r);
    return line;
}

static void worker_main(int sock, const ks_run_opts *o)
{
    /* The parent decides what an interrupt means; workers just die with it. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    /* Decoders print (libmpg123 via libsndfile, FFmpeg's av_log, aubio).
     * stdout may be the records stream, so a worker must never write there:
     * point stdin and stdout at /dev/null. stderr stays the user's, but with
     * RLIMIT_FSIZE = 0 a library warning written to a stderr redirected to
     * a file raised SIGXFSZ and killed the worker ("crashed" on a plain
     * truncated MP3); ignored, such a write just fails with EFBIG. */
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
#ifndef KS_SANITIZE
        /* Library chatter on stderr would interleave with the progress bar
         * and say nothing the record does not; sanitizer builds keep stderr
         * for their reports. */
        dup2(devnull, 2);
#endif
        if (devnull > 2)
            close(devnull);
    }
    signal(SIGXFSZ, SIG_IGN);
    ks_set_oom_hook(worker_oom);
    prepare_analysis(o, sock);
    ks_sandbox_limits(o->max_memory, o->no_sandbox);
    if (!o->no_sandbox)
        ks_sandbox_seccomp();
    for (;;) {
        int fd;
        int64_t seq;
        char *path = NULL;
        if (recv_task(sock, &fd, &seq, &path) < 0)
            _exit(0);
        ks_sandbox_cpu_budget(o->timeout_s[MOD_VIDEO] * 20 + 60);
        int ok;
        char *line = analyze_to_line(fd, path, seq, &ok);
        if (send_msg(sock, 'R', line, (uint32_t)strlen(line)) < 0)
            _exit(1);
        x_free(line);
        x_free(path);
    }
}

/* ------------------------------------------------------------------ */
/* Parent side                                                         */

#define QDEPTH 16

typedef struct worker {
    pid_t pid;
    int sock;
    /* Tasks in flight, q[0] being analysed. Tasks queued behind it hide
     * the parent's round trip (write the record, open the next file, send
     * it) from the worker, which would otherwise idle between files, and
     * let the parent sleep while a worker gets through several small files
     * and collect their records in one wake-up (see pace()). */
    int busy;         /* 0 .. QDEPTH */
    struct {
        size_t idx;    /* into the input list */
        int64_t bytes; /* its size, for the budget */
    } q[QDEPTH];
    double batch_t;   /* when records were last collected */
    double per_task;  /* smoothed seconds per record, for pace() */
    double start, deadline; /* of q[0] */
    unsigned char *buf;
    size_t len, cap;
} worker;

static volatile sig_atomic_t g_interrupted;
static void on_signal(int sig) { g_interrupted = sig; }

typedef struct runner {
    const ks_run_opts *o;
    inputs in;
    size_t *todo;     /* indices of inputs to run */
    size_t ntodo, next;
    worker *w;
    int nw;
    int outfd;
    int out_is_file;
    int64_t seq;
    size_t *retry;    /* inputs queued behind a task whose worker died */
    size_t nretry;
    size_t done, failed, since_sync;
    double t0, last_sync, last_progress;
    int write_failed;
} runner;

static int spawn(runner *R, worker *w)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        /* A worker must not outlive a parent killed with SIGKILL: an orphan
         * would go on decoding (up to its CPU limit) for nobody. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        close(sv[0]);
        /* Close every other worker's socket and the output: a worker can
         * neither talk to its siblings nor touch the results file. */
        for (int i = 0; i < R->nw; i++)
            if (R->w[i].sock >= 0)
                close(R->w[i].sock);
        if (R->outfd > 2)
            close(R->outfd);
        worker_main(sv[1], R->o);
        _exit(0);
    }
    close(sv[1]);
    w->pid = pid;
    w->sock = sv[0];
    w->busy = 0;
    w->len = 0;
    return 0;
}

static void write_line(runner *R, const char *line, size_t n)
{
    /* One write of the whole line (plus newline) keeps lines whole even
     * when a crash interrupts us between records. */
    struct iovec iov[2] = {{(void *)line, n}, {"\n", 1}};
    ssize_t k;
    do
        k = writev(R->outfd, iov, 2);
    while (k < 0 && errno == EINTR);
    /* a short write (a full disk, a pipe): finish it piece by piece */
    if (k >= 0 && (size_t)k < n + 1) {
        size_t d = (size_t)k;
        k = d < n && write_full(R->outfd, line + d, n - d) < 0 ? -1 : write_full(R->outfd, "\n", 1);
    }
    if (k < 0 && !R->write_failed)
        R->write_failed = errno ? errno : EIO;
    R->since_sync++;
    double now = cli_now();
    if (R->out_is_file && (R->since_sync >= 64 || now - R->last_sync > 1.0)) {
        if (fdatasync(R->outfd) != 0 && !R->write_failed)
            R->write_failed = errno;
        R->since_sync = 0;
        R->last_sync = now;
    }
}

/* Emit a record the parent made itself (open errors, dead workers). */
static void parent_record(runner *R, size_t idx, const char *modality, int err, const char *msg, double elapsed)
{
    ks_record r;
    ks_record_init(&r);
    r.path = x_strdup(R->in.path[idx]);
    r.modality = x_strdup(modality);
    r.seq = R->seq++;
    ks_options_hash(&R->o->opt, r.config);
    r.elapsed_ms = elapsed;
    ks_record_fail(&r, err, "%s", msg);
    char *line = ks_record_dump(&r);
    write_line(R, line, strlen(line));
    x_free(line);
    ks_record_clear(&r);
    R->done++;
    R->failed++;
}

static const char *guess_modality(const runner *R, const char *path)
{
    return guess_modality_opt(&R->o->opt, path);
}

/* Open an input in the parent. Returns fd (and its size), or -1 after
 * writing an error record. */
static int open_input(runner *R, size_t idx, int64_t *bytes)
{
    const char *p = R->in.path[idx];
    const char *mod = guess_modality(R, p);
    char msg[600];
    int fd = open(p, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        struct stat ls;
        int err = e == ENOENT ? KS_E_NOT_FOUND : e == EACCES ? KS_E_PERMISSION : KS_E_IO;
        if (e == ENOENT && lstat(p, &ls) == 0 && S_ISLNK(ls.st_mode))
            snprintf(msg, sizeof msg, "dangling symlink: %s", strerror(e));
        else if (e == ELOOP)
            snprintf(msg, sizeof msg, "symlink loop: %s", strerror(e));
        else
            snprintf(msg, sizeof msg, "open: %s", strerror(e));
        parent_record(R, idx, mod, err, msg, 0);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, sizeof msg, "not a regular file (%s)",
                 S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a fifo" : "a device or socket");
        close(fd);
        parent_record(R, idx, mod, KS_E_NOT_FILE, msg, 0);
        return -1;
    }
    fcntl(fd, F_SETFL, 0);
    *bytes = st.st_size;
    return fd;
}

static int send_task(worker *w, int fd, int64_t seq, const char *path)
{
    unsigned char hdr[12];
    uint32_t plen = (uint32_t)strlen(path);
    memcpy(hdr, &seq, 8);
    memcpy(hdr + 8, &plen, 4);
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    /* header and path in one message: one wake-up of the worker */
    struct iovec iov[2] = {{hdr, sizeof hdr}, {(void *)path, plen}};
    struct msghdr mh = {0};
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof cbuf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    /* The socket is blocking (reads use MSG_DONTWAIT); tasks are tiny. */
    ssize_t k;
    do
        k = sendmsg(w->sock, &mh, MSG_NOSIGNAL);
    while (k < 0 && errno == EINTR);
    if (k < (ssize_t)sizeof hdr)
        return -1;
    /* a signal cut the path short: the descriptor went with the first byte */
    size_t done = (size_t)k - sizeof hdr;
    return done < plen ? write_full(w->sock, path + done, plen - done) : 0;
}

static void reap(runner *R, worker *w, int killed_for_timeout)
{
    int status = 0;
    if (w->pid > 0) {
        if (killed_for_timeout)
            kill(w->pid, SIGKILL);
        while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (w->sock >= 0)
        close(w->sock);
    w->sock = -1;
    w->pid = -1;
    for (int i = 1; i < w->busy; i++)
        R->retry[R->nretry++] = w->q[i].idx; /* never started: run it again */
    if (w->busy) {
        double el = (cli_now() - w->start) * 1000.0;
        const char *p = R->in.path[w->q[0].idx];
        const char *mod = guess_modality(R, p);
        char msg[300];
        if (killed_for_timeout) {
            snprintf(msg, sizeof msg, "no result after %.1f s; worker killed (raise --timeout)",
                     el / 1000.0);
            parent_record(R, w->q[0].idx, mod, KS_E_TIMEOUT, msg, el);
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == OOM_EXIT) {
            snprintf(msg, sizeof msg, "out of memory under the %lld MiB limit (raise --max-memory)",
                     (long long)(R->o->max_memory >> 20));
            parent_record(R, w->q[0].idx, mod, KS_E_MEMORY, msg, el);
        } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
            parent_record(R, w->q[0].idx, mod, KS_E_TIMEOUT, "CPU time limit exceeded", el);
        } else {
            if (WIFSIGNALED(status))
                snprintf(msg, sizeof msg, "worker died with signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
            else
                snprintf(msg, sizeof msg, "worker exited with status %d", WEXITSTATUS(status));
            parent_record(R, w->q[0].idx, mod, KS_E_CRASHED, msg, el);
        }
    }
    w->busy = 0;
    w->len = 0;
}

static void start_head(runner *R, worker *w)
{
    w->start = cli_now();
    w->deadline = w->start + task_budget(R->o, mod_index(guess_modality(R, R->in.path[w->q[0].idx])), w->q[0].bytes);
}

static int next_input(runner *R, size_t *idx)
{
    if (R->nretry) {
        *idx = R->retry[--R->nretry];
        return 1;
    }
    if (R->next < R->ntodo) {
        *idx = R->todo[R->next++];
        return 1;
    }
    return 0;
}

/* Handle complete messages in w->buf. */
static void drain(runner *R, worker *w)
{
    size_t off = 0;
    int got = 0;
    while (w->len - off >= 5) {
        uint32_t len;
        memcpy(&len, w->buf + off + 1, 4);
        if (w->len - off - 5 < len)
            break;
        char type = (char)w->buf[off];
        const unsigned char *pl = w->buf + off + 5;
        if ((type == 'S' || type == 'D') && len == sizeof(double)) {
            double s;
            memcpy(&s, pl, sizeof s);
            /* 'S': the sniffed modality differs from the extension's, its
             * budget replaces the parent's; 'D' (media duration known) only
             * ever extends it. */
            if (isfinite(s) && s > 0 && (type == 'S' || cli_now() + s > w->deadline))
                w->deadline = cli_now() + s;
        } else if (type == 'R' && w->busy) {
            /* The worker stamped the seq it was given at dispatch. The
             * parent does not re-encode the line (that cost more than
             * analysing a short text); it checks that the line has the
             * shape our writer gives every record, so whatever a worker
             * sends can never break the line structure of the file. */
            const char *l = (const char *)pl;
            static const char head[] = "{\"schema\":\"" KS_SCHEMA "\",";
            int shaped = len > sizeof head && memcmp(l, head, sizeof head - 1) == 0 && l[len - 1] == '}' &&
                         !memchr(l, '\n', len) && !memchr(l, '\0', len);
            if (shaped) {
                write_line(R, l, len);
                R->done++;
                /* our writer puts the top-level status before any string
                 * value a library could influence, and escapes quotes */
                if (!memmem(l, len, "\"status\":\"ok\"", 13))
                    R->failed++;
            } else {
                parent_record(R, w->q[0].idx, guess_modality(R, R->in.path[w->q[0].idx]), KS_E_INTERNAL,
                              "worker sent a malformed record", 0);
            }
            /* the queued task, if any, starts now */
            memmove(w->q, w->q + 1, (QDEPTH - 1) * sizeof *w->q);
            w->busy--;
            got++;
            if (w->busy)
                start_head(R, w);
        }
        off += 5 + len;
    }
    if (got) {
        double now = cli_now();
        double pt = (now - w->batch_t) / got;
        w->per_task = w->per_task > 0 ? 0.7 * w->per_task + 0.3 * pt : pt;
        w->batch_t = now;
    }
    if (off) {
        memmove(w->buf, w->buf + off, w->len - off);
        w->len -= off;
    }
}

/* Sleep while every busy worker has work queued: records then pile up in
 * the sockets and are collected in one wake-up instead of one each (on
 * small files a wake-up cost about a third as much as the analysis). The
 * nap lasts half the time a worker's queue (less two tasks) should take at
 * the smoothed rate: a mixed folder makes that rate wrong both ways, and at
 * the full time a run of texts after an image drained the queue and the
 * worker idled (pool 12 % slower than --in-process on 3040 small files; 16
 * queued tasks and half the time: 4 % faster, the parent working beside the
 * worker). At most 2 ms, so deadlines stay exact to the millisecond. */
static void pace(runner *R)
{
    double nap = 2e-3;
    int any = 0;
    for (int i = 0; i < R->nw; i++) {
        const worker *w = &R->w[i];
        if (!w->busy)
            continue;
        any = 1;
        double lasts = 0.5 * (w->busy - 2) * w->per_task;
        if (lasts < nap)
            nap = lasts;
    }
    if (!any || nap < 50e-6)
        return;
    struct timespec ts = {0, (long)(nap * 1e9)};
    nanosleep(&ts, NULL);
}

static void progress(runner *R, int final)
{
    if (R->o->quiet)
        return;
    double now = cli_now();
    if (!final && now - R->last_progress < (R->o->progress_jsonl ? 1.0 : 0.2))
        return;
    R->last_progress = now;
    double el = now - R->t0;
    double rate = el > 0 ? R->done / el : 0;
    double eta = rate > 0 ? (R->ntodo - R->done) / rate : NAN;
    if (R->o->progress_jsonl) {
        fprintf(stderr, "{\"done\":%zu,\"total\":%zu,\"failed\":%zu,\"rate\":%.3f,\"eta_s\":%s%.1f%s}\n",
                R->done, R->ntodo, R->failed, rate, isfinite(eta) ? "" : "\"", isfinite(eta) ? eta : 0.0,
                isfinite(eta) ? "" : "\"");
        return;
    }
    if (!isatty(2))
        return;
    int width = 30, fill = R->ntodo ? (int)(width * R->done / R->ntodo) : width;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu  %.1f/s  ETA %s%.0fs  failed %zu%s", bar, R->done, R->ntodo, rate,
            isfinite(eta) ? "" : "?", isfinite(eta) ? eta : 0.0, R->failed, final ? "\n" : "  ");
}

/* Read an existing output for --resume: truncate a trailing partial line,
 * return the set of recorded paths and the next seq. */
static int load_resume(const char *path, uint64_t **set, size_t *setcap, int64_t *next_seq, size_t *nrec)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    char *buf = x_malloc(n + 1);
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, buf + got, n - got, (off_t)got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    n = got;
    size_t keep = n;
    while (keep > 0 && buf[keep - 1] != '\n')
        keep--;
    size_t count = 0, start = 0;
    *next_seq = 0;
    int rc = 0;
    while (start < keep) {
        char *nl = memchr(buf + start, '\n', keep - start);
        size_t len = (size_t)(nl - (buf + start));
        char *p;
        int64_t seq;
        if (len > 0) {
            if (ks_record_peek(buf + start, len, &p, &seq) != 0) {
                /* A complete line that is not a record: the last one may be
                 * a torn write that happened to end in '\n'; drop it, but
                 * refuse a file that is damaged elsewhere. */
                if ((size_t)(nl - buf) + 1 == keep) {
                    keep = start;
                    break;
                }
                rc = -2;
                break;
            }
            set_add(set, setcap, &count, path_hash(p));
            if (seq + 1 > *next_seq)
                *next_seq = seq + 1;
            x_free(p);
        }
        start += len + 1;
    }
    if (rc == 0 && keep != n) {
        if (ftruncate(fd, (off_t)keep) != 0 || fsync(fd) != 0)
            rc = -1;
    }
    *nrec = count;
    x_free(buf);
    close(fd);
    return rc;
}

int ks_run_analyze(const char *const *paths, size_t npaths, const char *files_from, const ks_run_opts *o,
                   const char *out_path)
{
    runner R;
    memset(&R, 0, sizeof R);
    R.o = o;
    R.outfd = -1;
    int rc = 0;
    uint64_t *done_set = NULL;
    size_t done_cap = 0, nrec = 0;
    struct sigaction sa, old_int, old_term, old_pipe;

    for (size_t i = 0; i < npaths; i++)
        add_arg(&R.in, paths[i]);
    if (files_from && read_files_from(&R.in, files_from) != 0) {
        cli_error("analyze", "cannot read --files-from %s: %s", files_from, strerror(errno));
        rc = 2;
        goto done;
    }

    if (o->resume) {
        int lr = load_resume(o->resume, &done_set, &done_cap, &R.seq, &nrec);
        if (lr == -2) {
            cli_error("analyze", "%s has a damaged line before its end; not resuming (is it a kitsch output?)",
                      o->resume);
            rc = 2;
            goto done;
        }
        if (lr < 0) {
            cli_error("analyze", "cannot resume %s: %s", o->resume, strerror(errno));
            rc = 2;
            goto done;
        }
        R.outfd = open(o->resume, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        R.out_is_file = 1;
    } else if (!out_path || strcmp(out_path, "-") == 0) {
        R.outfd = 1;
        struct stat st;
        R.out_is_file = fstat(1, &st) == 0 && S_ISREG(st.st_mode);
    } else {
        R.outfd = open(out_path, O_WRONLY | O_CREAT | O_CLOEXEC | (o->force ? O_TRUNC : O_EXCL), 0644);
        R.out_is_file = 1;
        if (R.outfd < 0 && errno == EEXIST) {
            cli_error("analyze", "%s exists; use --force to overwrite or --resume %s to continue it", out_path,
                      out_path);
            rc = 2;
            goto done;
        }
    }
    if (R.outfd < 0) {
        cli_error("analyze", "cannot write %s: %s", o->resume ? o->resume : out_path, strerror(errno));
        rc = 2;
        goto done;
    }

    R.todo = x_malloc((R.in.n ? R.in.n : 1) * sizeof *R.todo);
    for (size_t i = 0; i < R.in.n; i++) {
        if (o->shard_n && cli_shard_of(R.in.path[i], o->shard_n) != o->shard_i)
            continue;
        if (set_has(done_set, done_cap, path_hash(R.in.path[i])))
            continue;
        R.todo[R.ntodo++] = i;
    }
    if (o->resume && !o->quiet)
        fprintf(stderr, "kitsch analyze: resuming %s: %zu records kept, %zu inputs to go\n", o->resume, nrec,
                R.ntodo);

    R.nw = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (R.nw < 1)
        R.nw = 1;
    if ((size_t)R.nw > R.ntodo)
        R.nw = R.ntodo ? (int)R.ntodo : 1;
    R.w = x_calloc((size_t)R.nw, sizeof *R.w);
    R.retry = x_calloc((size_t)R.nw * QDEPTH + 1, sizeof *R.retry);
    for (int i = 0; i < R.nw; i++) {
        R.w[i].sock = -1;
        R.w[i].pid = -1;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);
    g_interrupted = 0;

    R.t0 = R.last_sync = cli_now();
    if (o->in_process) {
        /* No isolation at all: a way to run an analyzer under gdb or
         * valgrind, and the reference bench/isolation.sh measures the pool
         * against. Same analysis, same records, in this process. */
        prepare_analysis(o, -1);
        size_t idx;
        while (!g_interrupted && !R.write_failed && next_input(&R, &idx)) {
            int64_t bytes = 0;
            int fd = open_input(&R, idx, &bytes);
            if (fd < 0)
                continue;
            int ok;
            char *line = analyze_to_line(fd, R.in.path[idx], R.seq++, &ok);
            write_line(&R, line, strlen(line));
            R.done++;
            R.failed += !ok;
            x_free(line);
            progress(&R, 0);
        }
        goto stop;
    }
    if (R.ntodo)
        for (int i = 0; i < R.nw; i++)
            if (spawn(&R, &R.w[i]) != 0) {
                cli_error("analyze", "cannot start worker: %s", strerror(errno));
                rc = 2;
                goto stop;
            }

    for (;;) {
        if (g_interrupted || R.write_failed)
            break;
        /* dispatch */
        for (int i = 0; i < R.nw && (R.next < R.ntodo || R.nretry); i++) {
            worker *w = &R.w[i];
            if (w->pid < 0 && spawn(&R, w) != 0)
                continue;
            size_t idx;
            while (w->pid > 0 && w->busy < QDEPTH && next_input(&R, &idx)) {
                int64_t bytes = 0;
                int fd = open_input(&R, idx, &bytes);
                if (fd < 0)
                    continue; /* recorded by the parent; next input */
                w->q[w->busy].idx = idx;
                w->q[w->busy++].bytes = bytes;
                if (w->busy == 1) {
                    start_head(&R, w);
                    w->batch_t = w->start; /* it was idle: time from now */
                }
                int sent = send_task(w, fd, R.seq++, R.in.path[idx]);
                close(fd);
                if (sent != 0) {
                    reap(&R, w, 0);
                    break;
                }
            }
        }
        int busy = 0;
        for (int i = 0; i < R.nw; i++)
            busy += R.w[i].busy;
        if (!busy && R.next >= R.ntodo && !R.nretry)
            break;
        pace(&R);
        struct pollfd pf[256];
        int np = R.nw < 256 ? R.nw : 256;
        double now = cli_now(), wait = 0.25;
        for (int i = 0; i < np; i++) {
            pf[i].fd = R.w[i].busy ? R.w[i].sock : -1;
            pf[i].events = POLLIN;
            pf[i].revents = 0;
            if (R.w[i].busy && R.w[i].deadline - now < wait)
                wait = R.w[i].deadline - now;
        }
        if (wait < 0)
            wait = 0;
        int pr = poll(pf, (nfds_t)np, (int)(wait * 1000) + 1);
        if (pr < 0 && errno != EINTR)
            break;
        now = cli_now();
        for (int i = 0; i < np; i++) {
            worker *w = &R.w[i];
            if (!w->busy)
                continue;
            if (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                for (;;) {
                    if (w->cap - w->len < 65536) {
                        w->cap = w->cap ? w->cap * 2 : 131072;
                        w->buf = x_realloc(w->buf, w->cap);
                    }
                    ssize_t k = recv(w->sock, w->buf + w->len, w->cap - w->len, MSG_DONTWAIT);
                    if (k > 0) {
                        w->len += (size_t)k;
                        continue;
                    }
                    if (k == 0) {
                        drain(&R, w);
                        reap(&R, w, 0); /* died: crashed or out of memory */
                    } else if (errno != EAGAIN && errno != EINTR) {
                        drain(&R, w);
                        reap(&R, w, 0);
                    }
                    break;
                }
                if (w->sock >= 0)
                    drain(&R, w);
            }
            if (w->busy && now > w->deadline)
                reap(&R, w, 1);
        }
        progress(&R, 0);
    }

stop:
    /* Interrupt or end: in-flight work is dropped (its inputs have no
     * record, so --resume picks them up); everything written is synced. */
    for (int i = 0; i < R.nw; i++) {
        if (R.w[i].pid > 0) {
            if (R.w[i].busy || g_interrupted)
                kill(R.w[i].pid, SIGKILL);
            if (R.w[i].sock >= 0)
                close(R.w[i].sock);
            R.w[i].sock = -1;
            while (waitpid(R.w[i].pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
        x_free(R.w[i].buf);
    }
    if (R.out_is_file && fdatasync(R.outfd) != 0 && !R.write_failed)
        R.write_failed = errno;
    progress(&R, 1);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    if (R.write_failed) {
        cli_error("analyze", "writing results failed: %s (records before this point are intact)",
                  strerror(R.write_failed));
        rc = 1;
    } else if (g_interrupted) {
        if (!o->quiet)
            fprintf(stderr, "kitsch analyze: interrupted; %zu records written, rerun with --resume to continue\n",
                    R.done);
        rc = 130;
    } else if (rc == 0) {
        rc = R.failed ? 1 : 0;
    }
done:
    if (R.outfd > 2)
        close(R.outfd);
    for (size_t i = 0; i < R.in.n; i++)
        x_free(R.in.path[i]);
    x_free(R.in.path);
    x_free(R.in.set);
    x_free(R.todo);
    x_free(R.w);
    x_free(R.retry);
    x_free(done_set);
    return rc;
}
