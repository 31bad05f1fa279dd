/* json.c - the only file that touches jansson: records as JSON Lines, the
 * JSON Schema generated from the registry, and a thin tree API. */
#include "json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define J(x) ((json_t *)(x))
#define K(x) ((ks_json *)(x))

/* ---- tree ---- */

ks_json *ks_json_object(void) { return K(json_object()); }
ks_json *ks_json_array(void) { return K(json_array()); }
ks_json *ks_json_number(double v) { return K(isfinite(v) ? json_real(v) : json_null()); }
ks_json *ks_json_integer(int64_t v) { return K(json_integer((json_int_t)v)); }
ks_json *ks_json_string(const char *s)
{
    /* Library error strings are not guaranteed UTF-8: replace bad bytes
     * rather than lose the whole message. */
    json_t *j = json_string(s ? s : "");
    if (!j && s) {
        size_t n = strlen(s);
        char *c = x_malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            c[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
        c[n] = '\0';
        j = json_string(c);
        x_free(c);
    }
    if (!j)
        abort(); /* only on allocation failure */
    return K(j);
}
ks_json *ks_json_bool(int b) { return K(json_boolean(b)); }
ks_json *ks_json_null(void) { return K(json_null()); }
void ks_json_set(ks_json *obj, const char *key, ks_json *val) { json_object_set_new(J(obj), key, J(val)); }
void ks_json_append(ks_json *arr, ks_json *val) { json_array_append_new(J(arr), J(val)); }
ks_json *ks_json_get(const ks_json *obj, const char *key) { return K(json_object_get(J(obj), key)); }

size_t ks_json_size(const ks_json *j)
{
    if (json_is_array(J(j)))
        return json_array_size(J(j));
    if (json_is_object(J(j)))
        return json_object_size(J(j));
    return 0;
}

ks_json *ks_json_at(const ks_json *arr, size_t i) { return K(json_array_get(J(arr), i)); }

const char *ks_json_key_at(const ks_json *obj, size_t i, ks_json **val)
{
    /* jansson keeps insertion order; walk to the i-th member. Callers iterate
     * small objects (a profile's features), so the walk is cheap. */
    const char *key;
    json_t *v;
    size_t k = 0;
    json_object_foreach(J(obj), key, v)
    {
        if (k++ == i) {
            if (val)
                *val = K(v);
            return key;
        }
    }
    if (val)
        *val = NULL;
    return NULL;
}

int ks_json_is_number(const ks_json *j) { return json_is_number(J(j)); }
int ks_json_is_string(const ks_json *j) { return json_is_string(J(j)); }
int ks_json_is_object(const ks_json *j) { return json_is_object(J(j)); }
int ks_json_is_array(const ks_json *j) { return json_is_array(J(j)); }
double ks_json_num(const ks_json *j) { return json_is_number(J(j)) ? json_number_value(J(j)) : NAN; }
const char *ks_json_str(const ks_json *j) { return json_is_string(J(j)) ? json_string_value(J(j)) : NULL; }

char *ks_json_dumps(const ks_json *j, int indent)
{
    size_t flags = JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);
    flags |= indent ? JSON_INDENT(2) : JSON_COMPACT;
    char *s = json_dumps(J(j), flags);
    if (!s)
        abort();
    /* Hand back memory the caller frees with x_free (jansson uses malloc). */
    return s;
}

ks_json *ks_json_loads(const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t e;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!j && err && errlen)
        snprintf(err, errlen, "line %d column %d: %s", e.line, e.column, e.text);
    return K(j);
}

ks_json *ks_json_load_file(const char *path, char *err, size_t errlen)
{
    json_error_t e;
    json_t *j = json_load_file(path, JSON_DECODE_ANY, &e);
    if (!j && err && errlen)
        snprintf(err, errlen, "%s:%d:%d: %s", path, e.line, e.column, e.text);
    return K(j);
}

ks_json *ks_json_incref(ks_json *j) { return K(json_incref(J(j))); }
void ks_json_del(ks_json *j)
{
    if (j)
        json_decref(J(j));
}

const char *ks_jansson_version(void) { return JANSSON_VERSION; }

/* ---- records ---- */

/* A record number: whole values (counts, MinHash signatures, histogram
 * bins) as JSON integers, exact and short; others with 17 significant
 * digits, which round-trips a double exactly, so a record read back
 * compares equal to the one written. printf's %.17g cost more than the
 * analysis of a short text when its 128 MinHash values went through it. */
static json_t *num(double v)
{
    if (v == floor(v) && fabs(v) <= 9007199254740992.0 && !(v == 0 && signbit(v)))
        return json_integer((json_int_t)v);
    return json_real(v);
}

ks_json *ks_record_to_json(const ks_record *r)
{
    char mod[32];
    json_t *o = json_object(), *feat = json_object(), *desc = json_object(), *info = json_object();
    json_object_set_new(o, "schema", json_string(KS_SCHEMA));
    json_object_set_new(o, "tool", json_string(r->tool[0] ? r->tool : KS_TOOL_VERSION));
    json_object_set_new(o, "seq", json_integer(r->seq));
    json_object_set_new(o, "path", J(ks_json_string(r->path ? r->path : "")));
    json_object_set_new(o, "bytes", r->bytes >= 0 ? json_integer(r->bytes) : json_null());
    json_object_set_new(o, "sha256", r->sha256[0] ? json_string(r->sha256) : json_null());
    json_object_set_new(o, "modality", json_string(r->modality ? r->modality : "unknown"));
    json_object_set_new(o, "status", json_string(r->status == KS_STATUS_OK ? "ok" : "error"));
    if (r->status != KS_STATUS_OK) {
        json_t *e = json_object();
        json_object_set_new(e, "code", json_string(ks_error_code(r->err)));
        json_object_set_new(e, "message", J(ks_json_string(r->err_msg)));
        json_object_set_new(o, "error", e);
    } else {
        json_object_set_new(o, "error", json_null());
    }
    /* Features: all of the record's own modality (null = not measured, so
     * readers see what was attempted), plus any measured feature of another
     * modality (a video record carries its soundtrack's audio features). */
    for (int i = 0; i < KS_NFEATURES; i++) {
        int own = r->modality && strcmp(ks_feature_modality(i, mod, sizeof mod), r->modality) == 0;
        if (isfinite(r->feat[i]))
            json_object_set_new(feat, ks_features[i].name, num(r->feat[i]));
        else if (own && r->status == KS_STATUS_OK)
            json_object_set_new(feat, ks_features[i].name, json_null());
    }
    json_object_set_new(o, "features", feat);
    for (int i = 0; i < KS_NDESCRIPTORS; i++) {
        if (!r->desc[i].n)
            continue;
        json_t *a = json_array();
        for (size_t k = 0; k < r->desc[i].n; k++)
            json_array_append_new(a, isfinite(r->desc[i].v[k]) ? num(r->desc[i].v[k]) : json_null());
        json_object_set_new(desc, ks_descriptors[i].name, a);
    }
    json_object_set_new(o, "descriptors", desc);
    for (int i = 0; i < KS_NINFO; i++)
        if (r->info[i])
            json_object_set_new(info, ks_infos[i].name, J(ks_json_string(r->info[i])));
    json_object_set_new(o, "info", info);
    json_object_set_new(o, "elapsed_ms", isfinite(r->elapsed_ms) ? json_real(r->elapsed_ms) : json_null());
    json_object_set_new(o, "config", json_string(r->config));
    return K(o);
}

char *ks_record_dump(const ks_record *r)
{
    ks_json *j = ks_record_to_json(r);
    char *s = ks_json_dumps(j, 0);
    ks_json_del(j);
    return s;
}

static int fail(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return KS_E_PARSE;
}

int ks_record_from_json(const ks_json *jj, ks_record *r, char *err, size_t errlen)
{
    const json_t *j = J(jj);
    json_t *v;
    const char *key;
    ks_record_clear(r);
    if (!json_is_object(j))
        return fail(err, errlen, "record is not a JSON object");
    v = json_object_get(j, "schema");
    if (!json_is_string(v) || strncmp(json_string_value(v), "kitsch/", 7) != 0)
        return fail(err, errlen, "missing or foreign \"schema\"");
    v = json_object_get(j, "path");
    if (!json_is_string(v))
        return fail(err, errlen, "missing \"path\"");
    r->path = x_strdup(json_string_value(v));
    v = json_object_get(j, "modality");
    r->modality = x_strdup(json_is_string(v) ? json_string_value(v) : "unknown");
    v = json_object_get(j, "tool");
    if (json_is_string(v))
        snprintf(r->tool, sizeof r->tool, "%s", json_string_value(v));
    v = json_object_get(j, "seq");
    r->seq = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
    v = json_object_get(j, "bytes");
    r->bytes = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
    v = json_object_get(j, "sha256");
    if (json_is_string(v))
        snprintf(r->sha256, sizeof r->sha256, "%s", json_string_value(v));
    v = json_object_get(j, "config");
    if (json_is_string(v))
        snprintf(r->config, sizeof r->config, "%s", json_string_value(v));
    v = json_object_get(j, "elapsed_ms");
    r->elapsed_ms = json_is_number(v) ? json_number_value(v) : NAN;
    v = json_object_get(j, "status");
    if (!json_is_string(v))
        return fail(err, errlen, "missing \"status\"");
    r->status = strcmp(json_string_value(v), "ok") == 0 ? KS_STATUS_OK : KS_STATUS_ERROR;
    if (r->status != KS_STATUS_OK) {
        json_t *e = json_object_get(j, "error");
        json_t *c = json_object_get(e, "code"), *m = json_object_get(e, "message");
        r->err = json_is_string(c) ? ks_error_from_code(json_string_value(c)) : KS_E_INTERNAL;
        snprintf(r->err_msg, sizeof r->err_msg, "%s", json_is_string(m) ? json_string_value(m) : "");
    }
    /* Unknown names are skipped, not errors: records from a newer kitsch with
     * more features stay readable by an older one. */
    json_object_foreach(json_object_get(j, "features"), key, v)
    {
        int id = ks_feature_find(key);
        if (id >= 0)
            r->feat[id] = json_is_number(v) ? json_number_value(v) : NAN;
    }
    json_object_foreach(json_object_get(j, "descriptors"), key, v)
    {
        int id = ks_descriptor_find(key);
        if (id < 0 || !json_is_array(v))
            continue;
        size_t n = json_array_size(v);
        if (!n)
            continue;
        r->desc[id].v = x_malloc(n * sizeof(double));
        r->desc[id].n = n;
        for (size_t k = 0; k < n; k++) {
            json_t *x = json_array_get(v, k);
            r->desc[id].v[k] = json_is_number(x) ? json_number_value(x) : NAN;
        }
    }
    json_object_foreach(json_object_get(j, "info"), key, v)
    {
        int id = ks_info_find(key);
        if (id >= 0 && json_is_string(v))
            r->info[id] = x_strdup(json_string_value(v));
    }
    return 0;
}

int ks_record_parse(const char *line, size_t len, ks_record *r, char *err, size_t errlen)
{
    ks_json *j = ks_json_loads(line, len, err, errlen);
    if (!j) {
        ks_record_clear(r);
        return KS_E_PARSE;
    }
    int rc = ks_record_from_json(j, r, err, errlen);
    ks_json_del(j);
    return rc;
}

int ks_record_peek(const char *line, size_t len, char **path, int64_t *seq)
{
    json_error_t e;
    json_t *j = json_loadb(line, len, 0, &e), *p, *s;
    *path = NULL;
    if (!j)
        return KS_E_PARSE;
    p = json_object_get(j, "path");
    s = json_object_get(j, "seq");
    if (!json_is_string(p) || !json_is_string(json_object_get(j, "status"))) {
        json_decref(j);
        return KS_E_PARSE;
    }
    *path = x_strdup(json_string_value(p));
    if (seq)
        *seq = json_is_integer(s) ? (int64_t)json_integer_value(s) : -1;
    json_decref(j);
    return 0;
}

/* ---- schema and registry dumps ---- */

static json_t *num_or_null(void)
{
    json_t *t = json_array();
    json_array_append_new(t, json_string("number"));
    json_array_append_new(t, json_string("null"));
    json_t *o = json_object();
    json_object_set_new(o, "type", t);
    return o;
}

char *ks_schema_dump(void)
{
    json_t *s = json_object(), *props = json_object(), *req = json_array();
    json_object_set_new(s, "$schema", json_string("https://json-schema.org/draft/2020-12/schema"));
    json_object_set_new(s, "$id", json_string("https://kitsch.invalid/schema/kitsch-1.json"));
    json_object_set_new(s, "title", json_string("kitsch record (" KS_SCHEMA ")"));
    json_object_set_new(s, "description",
                        json_string("One JSON object per analysed input. Generated from common/features.def."));
    json_object_set_new(s, "type", json_string("object"));

    json_t *p;
    p = json_object();
    json_object_set_new(p, "const", json_string(KS_SCHEMA));
    json_object_set_new(props, "schema", p);
    p = json_object();
    json_object_set_new(p, "type", json_string("string"));
    json_object_set_new(props, "tool", p);
    p = json_object();
    json_object_set_new(p, "type", json_string("integer"));
    json_object_set_new(p, "minimum", json_integer(0));
    json_object_set_new(props, "seq", p);
    p = json_object();
    json_object_set_new(p, "type", json_string("string"));
    json_object_set_new(props, "path", p);
    p = json_object();
    json_object_set_new(p, "type", json_pack("[ss]", "integer", "null"));
    json_object_set_new(props, "bytes", p);
    p = json_object();
    json_object_set_new(p, "type", json_pack("[ss]", "string", "null"));
    json_object_set_new(p, "pattern", json_string("^[0-9a-f]{64}$"));
    json_object_set_new(props, "sha256", p);
    p = json_object();
    json_object_set_new(p, "enum", json_pack("[sssss]", "text", "audio", "image", "video", "unknown"));
    json_object_set_new(props, "modality", p);
    p = json_object();
    json_object_set_new(p, "enum", json_pack("[ss]", "ok", "error"));
    json_object_set_new(props, "status", p);

    /* error: null for ok records, {code, message} otherwise; codes from errors.def */
    json_t *codes = json_array();
#define KS_ERROR(id, val, code, meaning) json_array_append_new(codes, json_string(code));
#include "errors.def"
#undef KS_ERROR
    json_t *eobj = json_object(), *eprops = json_object(), *code = json_object(), *msg = json_object();
    json_object_set_new(code, "enum", codes);
    json_object_set_new(msg, "type", json_string("string"));
    json_object_set_new(eprops, "code", code);
    json_object_set_new(eprops, "message", msg);
    json_object_set_new(eobj, "type", json_string("object"));
    json_object_set_new(eobj, "properties", eprops);
    json_object_set_new(eobj, "required", json_pack("[ss]", "code", "message"));
    json_object_set_new(eobj, "additionalProperties", json_false());
    p = json_object();
    json_object_set_new(p, "oneOf", json_pack("[{s:s}o]", "type", "null", eobj));
    json_object_set_new(props, "error", p);

    json_t *fprops = json_object();
    for (int i = 0; i < KS_NFEATURES; i++) {
        json_t *f = num_or_null();
        char d[600];
        snprintf(d, sizeof d, "%s [%s; direction %+d; %s]", ks_features[i].meaning, ks_features[i].unit,
                 ks_features[i].direction, ks_facet_name(ks_features[i].facet));
        json_object_set_new(f, "description", json_string(d));
        json_object_set_new(fprops, ks_features[i].name, f);
    }
    p = json_object();
    json_object_set_new(p, "type", json_string("object"));
    json_object_set_new(p, "properties", fprops);
    json_object_set_new(p, "additionalProperties", json_false());
    json_object_set_new(props, "features", p);

    json_t *dprops = json_object();
    for (int i = 0; i < KS_NDESCRIPTORS; i++) {
        json_t *d = json_object();
        json_object_set_new(d, "type", json_string("array"));
        json_object_set_new(d, "items", num_or_null());
        if (ks_descriptors[i].len > 0) {
            json_object_set_new(d, "minItems", json_integer(ks_descriptors[i].len));
            json_object_set_new(d, "maxItems", json_integer(ks_descriptors[i].len));
        }
        json_object_set_new(d, "description", json_string(ks_descriptors[i].meaning));
        json_object_set_new(dprops, ks_descriptors[i].name, d);
    }
    p = json_object();
    json_object_set_new(p, "type", json_string("object"));
    json_object_set_new(p, "properties", dprops);
    json_object_set_new(p, "additionalProperties", json_false());
    json_object_set_new(props, "descriptors", p);

    json_t *iprops = json_object();
    for (int i = 0; i < KS_NINFO; i++) {
        json_t *d = json_object();
        json_object_set_new(d, "type", json_string("string"));
        json_object_set_new(d, "description", json_string(ks_infos[i].meaning));
        json_object_set_new(iprops, ks_infos[i].name, d);
    }
    p = json_object();
    json_object_set_new(p, "type", json_string("object"));
    json_object_set_new(p, "properties", iprops);
    json_object_set_new(p, "additionalProperties", json_false());
    json_object_set_new(props, "info", p);

    p = num_or_null();
    json_object_set_new(props, "elapsed_ms", p);
    p = json_object();
    json_object_set_new(p, "type", json_string("string"));
    json_object_set_new(p, "pattern", json_string("^[0-9a-f]{16}$"));
    json_object_set_new(props, "config", p);

    const char *required[] = {"schema", "tool", "seq", "path", "bytes", "sha256", "modality", "status",
                              "error", "features", "descriptors", "info", "elapsed_ms", "config"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        json_array_append_new(req, json_string(required[i]));
    json_object_set_new(s, "properties", props);
    json_object_set_new(s, "required", req);
    /* Tools may append fields (kitsch score adds "score"): allow extras. */
    json_object_set_new(s, "additionalProperties", json_true());
    char *out = json_dumps(s, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(s);
    if (!out)
        abort();
    return out;
}

char *ks_features_dump(void)
{
    json_t *o = json_object(), *fa = json_array(), *da = json_array(), *ia = json_array(), *sa = json_array();
    for (int i = 0; i < KS_NFEATURES; i++)
        json_array_append_new(fa, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}", "name", ks_features[i].name, "unit",
                                            ks_features[i].unit, "direction", ks_features[i].direction, "facet",
                                            ks_facet_name(ks_features[i].facet), "meaning",
                                            ks_features[i].meaning, "citation", ks_features[i].cite));
    for (int i = 0; i < KS_NDESCRIPTORS; i++)
        json_array_append_new(da, json_pack("{s:s,s:i,s:s}", "name", ks_descriptors[i].name, "length",
                                            ks_descriptors[i].len, "meaning", ks_descriptors[i].meaning));
    for (int i = 0; i < KS_NINFO; i++)
        json_array_append_new(ia, json_pack("{s:s,s:s}", "name", ks_infos[i].name, "meaning", ks_infos[i].meaning));
    for (int i = 0; i < KS_NSETMETRICS; i++)
        json_array_append_new(sa, json_pack("{s:s,s:s,s:i,s:s,s:s}", "name", ks_setmetrics[i].name, "unit",
                                            ks_setmetrics[i].unit, "direction", ks_setmetrics[i].direction,
                                            "meaning", ks_setmetrics[i].meaning, "citation", ks_setmetrics[i].cite));
    json_object_set_new(o, "schema", json_string(KS_SCHEMA));
    json_object_set_new(o, "features", fa);
    json_object_set_new(o, "descriptors", da);
    json_object_set_new(o, "info", ia);
    json_object_set_new(o, "set_metrics", sa);
    char *s = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (!s)
        abort();
    return s;
}
