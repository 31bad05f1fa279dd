/* fuzz_text.c - libFuzzer harness: ks_text_analyze on arbitrary bytes, read
 * through a memfd like a worker reads the descriptor it is handed. */
#include "fuzz_common.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ks_options o;
    static int init;
    if (!init) {
        ks_options_default(&o);
    o.max_text_bytes = 1 << 20;
        init = 1;
    }
    ks_fuzz_analyze(ks_text_analyze, &o, "fuzz.txt", data, size);
    return 0;
}
