/* fuzz_video.c - libFuzzer harness: ks_video_analyze on arbitrary bytes, read
 * through a memfd like a worker reads the descriptor it is handed. */
#include "fuzz_common.h"
#include "video.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ks_options o;
    static int init;
    if (!init) {
        ks_options_default(&o);
        init = 1;
    }
    ks_fuzz_analyze(ks_video_analyze, &o, "fuzz.video", data, size);
    return 0;
}
