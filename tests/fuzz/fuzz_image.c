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
        /* Same cap logic, faster executions: a 55-byte BMP declaring
         * 41792x48 is a legal 2 MP image (0.4 s in a Release build) but took
         * 28 s under ASan+UBSan+coverage on a loaded machine, past
         * libFuzzer's -timeout=25. */
        o.max_image_pixels = 1000 * 1000;
        init = 1;
    }
    ks_fuzz_analyze(ks_image_analyze, &o, "fuzz.img", data, size);
    return 0;
}
