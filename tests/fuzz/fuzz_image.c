/* fuzz_image.c - libFuzzer harness: ks_image_analyze on arbitrary bytes, read
 * through a memfd like a worker reads the descriptor it is handed. */
#include "fuzz_common.h"
#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ks_options o;
    static int init;
    if (!init) {
        ks_options_default(&o);
    o.max_image_pixels = 4 * 1000 * 1000; /* same cap logic, faster executions */
        init = 1;
    }
    ks_fuzz_analyze(ks_image_analyze, &o, "fuzz.img", data, size);
    return 0;
}
