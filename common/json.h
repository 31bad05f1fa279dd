/* json.h - records as JSON Lines, the JSON Schema, and a thin JSON tree for
 * profiles and reports. common/json.c is the only file that touches jansson.
 *
 * Usage:
 *     ks_record r; ks_record_init(&r);
 *     ... fill r ...
 *     char *line = ks_record_dump(&r);     // one line, no '\n'
 *     fputs(line, out); x_free(line);
 *
 *     ks_record back; ks_record_init(&back);
 *     char err[200];
 *     if (ks_record_parse(line, strlen(line), &back, err, sizeof err) < 0) ...
 *     ks_record_clear(&back);
 */
#ifndef KITSCH_JSON_H
#define KITSCH_JSON_H

#include "kitsch.h"

/* Serialise a record to one JSON line (no newline). NaN/Inf -> null. */
char *ks_record_dump(const ks_record *r);
/* Parse one line into r (cleared first). Unknown features are ignored and
 * counted in *unknown (may be NULL). Returns 0 or KS_E_PARSE. */
int ks_record_parse(const char *line, size_t len, ks_record *r, char *err, size_t errlen);
/* Just the path and status of a line, cheaply (for --resume). Returns 0 or KS_E_PARSE. */
int ks_record_peek(const char *line, size_t len, char **path, int64_t *seq);

/* The JSON Schema (draft 2020-12) generated from the registry. */
char *ks_schema_dump(void);
/* The registry as JSON (kitsch features --json). */
char *ks_features_dump(void);

/* ---- a thin JSON tree (jansson underneath), for profiles and reports ---- */
typedef struct ks_json ks_json;
ks_json *ks_json_object(void);
ks_json *ks_json_array(void);
ks_json *ks_json_number(double v);   /* NaN/Inf -> null */
ks_json *ks_json_integer(int64_t v);
ks_json *ks_json_string(const char *s);
ks_json *ks_json_bool(int b);
ks_json *ks_json_null(void);
void ks_json_set(ks_json *obj, const char *key, ks_json *val);  /* steals val */
void ks_json_append(ks_json *arr, ks_json *val);                /* steals val */
ks_json *ks_json_get(const ks_json *obj, const char *key);      /* borrowed, NULL if absent */
size_t ks_json_size(const ks_json *arr_or_obj);
ks_json *ks_json_at(const ks_json *arr, size_t i);               /* borrowed */
/* Iterate an object: returns key of i-th member and its value (borrowed). */
const char *ks_json_key_at(const ks_json *obj, size_t i, ks_json **val);
int ks_json_is_number(const ks_json *j);
int ks_json_is_string(const ks_json *j);
int ks_json_is_object(const ks_json *j);
int ks_json_is_array(const ks_json *j);
double ks_json_num(const ks_json *j);          /* NaN if not a number */
const char *ks_json_str(const ks_json *j);     /* NULL if not a string */
/* flags: 0 compact one line, 1 indented */
char *ks_json_dumps(const ks_json *j, int indent);
ks_json *ks_json_loads(const char *text, size_t len, char *err, size_t errlen);
ks_json *ks_json_load_file(const char *path, char *err, size_t errlen);
ks_json *ks_json_incref(ks_json *j);
void ks_json_del(ks_json *j);                  /* decref; NULL ok */
/* Record <-> tree, for tools that append fields to records (kitsch score). */
ks_json *ks_record_to_json(const ks_record *r);
int ks_record_from_json(const ks_json *j, ks_record *r, char *err, size_t errlen);
const char *ks_jansson_version(void);

#endif
