/* fuzz_audio.c - libFuzzer harness: ks_audio_analyze on arbitrary bytes, read
 * through a memfd like a worker reads the descriptor it is handed. */
#include "fuzz_common.h"
#include "audio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ks_options o;
    static int init;
    if (!init) {
        ks_options_default(&o);
    o.max_audio_seconds = 20; /* same cap logic, faster executions */
        init = 1;
    }
    ks_fuzz_analyze(ks_audio_analyze, &o, "fuzz.audio", data, size);
    return 0;
}
