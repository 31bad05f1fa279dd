/* sniff.c - content sniffing. Magic numbers first because file names from
 * the internet lie (a .jpg that is a PNG decodes fine when routed right);
 * extensions only where a format has no magic (TGA) or to split containers
 * that carry either audio or video (MP4/M4A, Ogg/OGV, Matroska/MKA). */
#include "sniff.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

static int ext_in(const char *ext, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(ext, *list) == 0)
            return 1;
    return 0;
}

static const char *const TEXT_EXT[] = {"txt", "text", "md", "markdown", "rst", "org", "tex", NULL};
static const char *const IMAGE_EXT[] = {"jpg", "jpeg", "jpe", "jfif", "png", "webp", "bmp", "tga", "ppm",
                                        "pgm", "pbm", "pnm", "psd", "hdr", "gif", NULL};
static const char *const AUDIO_EXT[] = {"abc", "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "m4a", "aac",
                                        "aif", "aiff", "mka", "weba", "mid", "midi", "wma", NULL};
static const char *const VIDEO_EXT[] = {"mp4", "m4v", "mov", "mkv", "webm", "avi", "ogv", "ts", "mts",
                                        "m2ts", "flv", "mpg", "mpeg", "3gp", "wmv", NULL};

const char *ks_sniff_extension(const char *path)
{
    const char *e = ext_of(path);
    if (ext_in(e, TEXT_EXT))
        return "text";
    if (ext_in(e, IMAGE_EXT))
        return "image";
    if (ext_in(e, AUDIO_EXT))
        return "audio";
    if (ext_in(e, VIDEO_EXT))
        return "video";
    return "unknown";
}

/* Valid UTF-8 (RFC 3629: no overlongs, no surrogates) and no NUL, allowing
 * a sequence cut by the end of the sniffed window. */
static int looks_like_text(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
                return 0;
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4;
        else
            return 0;
        for (size_t k = 1; k < len; k++) {
            if (i + k >= n)
                return 1; /* cut by the window */
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
        }
        i += len;
    }
    return 1;
}

const char *ks_sniff(const unsigned char *h, size_t n, const char *path, const char **how)
{
    const char *ext = ext_of(path);
    const char *m = NULL;
#define HAS(off, s) (n >= (off) + sizeof(s) - 1 && memcmp(h + (off), s, sizeof(s) - 1) == 0)
    /* Byte-order marks first: UTF-16 "FF FE" also looks like an MPEG audio
     * frame sync. Text it is (the text analyzer then says it is not UTF-8). */
    if (HAS(0, "\xff\xfe") || HAS(0, "\xfe\xff") || HAS(0, "\xef\xbb\xbf")) {
        if (how)
            *how = "magic";
        return "text";
    }
    if (HAS(0, "\xff\xd8\xff") || HAS(0, "\x89PNG\r\n\x1a\n") || HAS(0, "GIF87a") || HAS(0, "GIF89a") ||
        (HAS(0, "RIFF") && HAS(8, "WEBP")) || HAS(0, "8BPS") || HAS(0, "#?RADIANCE") || HAS(0, "#?RGBE") ||
        (HAS(0, "BM") && n >= 18 && ext_in(ext, IMAGE_EXT)) ||
        (n >= 3 && h[0] == 'P' && h[1] >= '1' && h[1] <= '6' && isspace(h[2])))
        m = "image";
    else if ((HAS(0, "RIFF") && HAS(8, "WAVE")) || HAS(0, "fLaC") || HAS(0, "ID3") || HAS(0, "MThd") ||
             (HAS(0, "FORM") && (HAS(8, "AIFF") || HAS(8, "AIFC"))) ||
             (n >= 2 && h[0] == 0xff && (h[1] & 0xe0) == 0xe0 && !ext_in(ext, VIDEO_EXT)))
        m = "audio";
    else if (HAS(0, "OggS"))
        m = strcasecmp(ext, "ogv") == 0 ? "video" : "audio";
    else if (HAS(4, "ftyp"))
        m = (HAS(8, "M4A ") || HAS(8, "M4B ") || ext_in(ext, AUDIO_EXT)) ? "audio" : "video";
    else if (HAS(0, "\x1a\x45\xdf\xa3"))
        m = ext_in(ext, AUDIO_EXT) ? "audio" : "video";
    else if ((HAS(0, "RIFF") && HAS(8, "AVI ")) || HAS(0, "FLV") || HAS(0, "\x00\x00\x01\xba") ||
             (n >= 189 && h[0] == 0x47 && h[188] == 0x47))
        m = "video";
#undef HAS
    if (m) {
        if (how)
            *how = "magic";
        return m;
    }
    m = ks_sniff_extension(path);
    if (strcmp(m, "unknown") != 0) {
        if (how)
            *how = "extension";
        return m;
    }
    if (looks_like_text(h, n)) {
        if (how)
            *how = "content";
        return "text";
    }
    if (how)
        *how = "none";
    return "unknown";
}
