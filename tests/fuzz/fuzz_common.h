/* fuzz_common.h - shared by the libFuzzer harnesses: the input bytes are put
 * in an anonymous memory file (memfd), so each analyzer reads them through
 * its real file-descriptor path (pread, custom AVIOContext, sf_open_virtual),
 * exactly as a worker does with the descriptor the parent hands it. */
#ifndef KS_FUZZ_COMMON_H
#define KS_FUZZ_COMMON_H
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kitsch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run analyze on data as if it were the file `name` (the name matters:
 * analyzers use the extension for containers with no magic). */
static inline void ks_fuzz_analyze(ks_analyze_fn analyze, const ks_options *opt, const char *name,
                                   const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0)
        abort();
    size_t off = 0;
    while (off < size) {
        ssize_t k = write(fd, data + off, size - off);
        if (k <= 0)
            abort();
        off += (size_t)k;
    }
    if (lseek(fd, 0, SEEK_SET) != 0)
        abort();
    ks_input in = {name, fd, (int64_t)size, opt, NULL, NULL};
    ks_record r;
    ks_record_init(&r);
    int rc = analyze(&in, &r);
    /* The contract every caller relies on: 0, or a negative KS_E_* code.
     * With KS_FUZZ_STRICT=1, "internal" (a bug by definition) also counts
     * as a finding: crafted input must get a specific code. */
    if (rc > 0 || (rc < 0 && !ks_error_code(rc)))
        abort();
    if (rc == KS_E_INTERNAL && getenv("KS_FUZZ_STRICT"))
        abort();
    ks_record_clear(&r);
    close(fd);
}
#endif
