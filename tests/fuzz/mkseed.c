/* mkseed.c - writes seed inputs for the record and profile harnesses with
 * the real writers, so the seeds follow the formats as they evolve.
 *   mkseed FILE.txt   one record line: the text analysis of FILE.txt
 *   mkseed --error    one error record line
 *   mkseed --profile  a small profile (two features, a model) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "kitsch.h"
#include "profile.h"
#include "text.h"

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char *out = NULL;
    if (strcmp(argv[1], "--profile") == 0) {
        ks_profile *p = ks_profile_new();
        double v[50], w[50];
        for (int i = 0; i < 50; i++) {
            v[i] = 0.3 + 0.01 * i;
            w[i] = 100 + 7 * (i % 9);
        }
        ks_profile_set_feature(p, KS_F_TEXT_WORDS, w, 50);
        ks_profile_set_feature(p, 1, v, 50);
        out = ks_profile_dump(p);
        ks_profile_del(p);
    } else {
        ks_options opt;
        ks_options_default(&opt);
        ks_record r;
        ks_record_init(&r);
        r.path = x_strdup(strcmp(argv[1], "--error") == 0 ? "broken.jpg" : argv[1]);
        r.modality = x_strdup("text");
        ks_options_hash(&opt, r.config);
        if (strcmp(argv[1], "--error") == 0) {
            ks_record_fail(&r, KS_E_TRUNCATED, "TurboJPEG: Premature end of JPEG file \"\\ \x01");
        } else {
            int fd = open(argv[1], O_RDONLY);
            struct stat st;
            if (fd < 0 || fstat(fd, &st) != 0)
                return 1;
            ks_input in = {argv[1], fd, st.st_size, &opt, NULL, NULL};
            r.bytes = st.st_size;
            ks_text_analyze(&in, &r);
            close(fd);
        }
        out = ks_record_dump(&r);
        ks_record_clear(&r);
    }
    fputs(out, stdout);
    fputc('\n', stdout);
    x_free(out);
    return 0;
}
