/* student_config: the learner's remembered name (student_config.h). */
#include "student_config.h"

#include <cJSON.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_write.h"
#include "progress.h"
#include "transcript.h"

#define CONFIG_MAX_BYTES 65536
#define NAME_MAX_BYTES 200

static int config_dir(char *out, size_t n)
{
    return progress_xdg_dir("XDG_CONFIG_HOME", ".config", out, n);
}

int student_config_path(char *out, size_t n)
{
    char dir[4096];
    if (config_dir(dir, sizeof dir) != 0)
        return -1;
    int k = snprintf(out, n, "%s/config.json", dir);
    return k > 0 && (size_t)k < n ? 0 : -1;
}

char *student_config_load(void)
{
    char path[4200];
    if (student_config_path(path, sizeof path) != 0)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(CONFIG_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, CONFIG_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf || n > CONFIG_MAX_BYTES) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    cJSON *doc = cJSON_Parse(buf);
    free(buf);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, "student");
    char *name = cJSON_IsString(s) && s->valuestring[0] && strlen(s->valuestring) <= NAME_MAX_BYTES
                     ? transcript_clean_text(s->valuestring)
                     : NULL;
    cJSON_Delete(doc);
    if (name && !name[0]) {
        free(name);
        name = NULL;
    }
    return name;
}

int student_config_save(const char *name, struct sbuf *err)
{
    char dir[4096], path[4200];
    if (config_dir(dir, sizeof dir) != 0 || student_config_path(path, sizeof path) != 0) {
        sbuf_add(err, "no folder for the config file (set HOME or XDG_CONFIG_HOME)");
        return -1;
    }
    if (progress_make_dirs(dir, err) != 0)
        return -1;
    char *clean = transcript_clean_text(name);
    struct sbuf out;
    sbuf_init(&out);
    sbuf_add(&out, "{\n  \"student\": ");
    sbuf_json_str(&out, clean);
    sbuf_add(&out, "\n}\n");
    free(clean);
    int rc = atomic_write(path, out.s, out.len, true, err);
    sbuf_free(&out);
    return rc;
}

const char *student_config_question(void)
{
    return gettext("Your name, for your transcripts (asked once, remembered): ");
}

const char *student_config_saved(void)
{
    return gettext("name remembered in %s (--student NAME overrides it)");
}
