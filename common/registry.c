/* registry.c - the tables expanded from features.def and errors.def. */
#include "kitsch.h"

#include <string.h>

const ks_feature_def ks_features[KS_NFEATURES] = {
#define KS_FEATURE(id, name, unit, dir, facet, meaning, cite) {name, unit, dir, facet, meaning, cite},
#include "features.def"
};

const ks_descriptor_def ks_descriptors[KS_NDESCRIPTORS] = {
#define KS_DESCRIPTOR(id, name, len, meaning) {name, len, meaning},
#include "features.def"
};

const ks_info_def ks_infos[KS_NINFO] = {
#define KS_INFO(id, name, meaning) {name, meaning},
#include "features.def"
};

const ks_setmetric_def ks_setmetrics[KS_NSETMETRICS] = {
#define KS_SETMETRIC(id, name, unit, dir, meaning, cite) {name, unit, dir, meaning, cite},
#include "features.def"
};

/* Linear scans: the tables hold a few hundred rows and lookups happen once
 * per key when a record is parsed, which is dwarfed by JSON parsing. */
int ks_feature_find(const char *name)
{
    for (int i = 0; i < KS_NFEATURES; i++)
        if (strcmp(ks_features[i].name, name) == 0)
            return i;
    return -1;
}

int ks_descriptor_find(const char *name)
{
    for (int i = 0; i < KS_NDESCRIPTORS; i++)
        if (strcmp(ks_descriptors[i].name, name) == 0)
            return i;
    return -1;
}

int ks_info_find(const char *name)
{
    for (int i = 0; i < KS_NINFO; i++)
        if (strcmp(ks_infos[i].name, name) == 0)
            return i;
    return -1;
}

int ks_setmetric_find(const char *name)
{
    for (int i = 0; i < KS_NSETMETRICS; i++)
        if (strcmp(ks_setmetrics[i].name, name) == 0)
            return i;
    return -1;
}

const char *ks_feature_modality(int id, char *buf, size_t len)
{
    const char *name = ks_features[id].name;
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    if (len == 0)
        return buf;
    if (n >= len)
        n = len - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

const char *ks_facet_name(int facet)
{
    switch (facet) {
    case KS_AVERAGING: return "averaging";
    case KS_PREDICTABILITY: return "predictability";
    default: return "context";
    }
}

static const struct {
    int val;
    const char *code, *meaning;
} error_table[] = {
#define KS_ERROR(id, val, code, meaning) {val, code, meaning},
#include "errors.def"
#undef KS_ERROR
};

const char *ks_error_code(int err)
{
    for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
        if (error_table[i].val == err)
            return error_table[i].code;
    return err == 0 ? "ok" : "internal";
}

const char *ks_error_meaning(int err)
{
    for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
        if (error_table[i].val == err)
            return error_table[i].meaning;
    return err == 0 ? "no error" : "internal error";
}

int ks_error_from_code(const char *code)
{
    for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
        if (strcmp(error_table[i].code, code) == 0)
            return error_table[i].val;
    return KS_E_INTERNAL;
}
