/* progress_session: saved progress for a view (progress_session.h). */
#include "progress_session.h"

#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "tutor/i18n.h"

static void fill(const struct flow *f, struct progress *p)
{
    const struct lesson *l = f->l;
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "%s", l->id);
    snprintf(p->lang, sizeof p->lang, "%s", l->lang);
    progress_hex(l->sha256, p->sha256);
    p->step = f->r->step < l->n_steps ? f->r->step : l->n_steps;
    p->n_steps = l->n_steps;
    p->score = f->score.earned;
    p->total = f->score.of;
    /* The record: progress_save merges it with what is stored, so neither
     * goes down. */
    p->done = f->state == FLOW_END;
    p->best_score = p->done ? f->score.earned : 0;
    p->best_total = p->done ? f->score.of : 0;
    p->inputs = f->inputs.s;
    p->n_inputs = f->n_inputs;
}

int progress_session_save(struct progress_session *s, const struct flow *f, char *note, size_t n)
{
    if (!s->on || f->n_inputs == s->saved)
        return 0;
    char dir[4096];
    struct sbuf err;
    sbuf_init(&err);
    struct progress p;
    fill(f, &p);
    if (progress_dir(dir, sizeof dir) != 0)
        sbuf_add(&err, gettext("neither XDG_STATE_HOME nor HOME is set"));
    else
        progress_save(dir, &p, s->owner, &err);
    int rc = 0;
    if (err.len) {
        ui_trf(note, n, UI_MSG_SAVE_FAILED, err.s);
        rc = -1;
    }
    s->saved = f->n_inputs;
    sbuf_free(&err);
    return rc;
}

/* Sets a damaged file aside; the notice says where it went. */
static void keep_bad(const struct lesson *l, const char *dir, const char *why, char *out, size_t n)
{
    char bad[4300] = "";
    if (progress_keep_bad(dir, l->id, l->lang, bad, sizeof bad) == 0) {
        const char *base = strrchr(bad, '/');
        ui_trf(out, n, UI_MSG_PROGRESS_KEPT, why, base ? base + 1 : bad);
    } else {
        ui_trf(out, n, UI_MSG_PROGRESS_BAD, why);
    }
}

void progress_session_open(struct progress_session *s, const struct flow *f, bool enabled,
                           struct progress_found *found)
{
    const struct lesson *l = f->l;
    memset(found, 0, sizeof *found);
    s->fd = -1;
    s->saved = f->n_inputs;
    s->owner = false;
    s->on = enabled && l->n_steps > 0;
    char dir[4096];
    if (!s->on || progress_dir(dir, sizeof dir) != 0)
        return;
    /* A second window on the same lesson records only the record (done,
     * best score): the first one's attempt is never overwritten. */
    s->owner = progress_claim(dir, l->id, l->lang, &s->fd) != 1;
    if (!s->owner)
        found->other = ui_tr(UI_MSG_PROGRESS_OTHER);
    struct progress *p = &found->saved;
    struct sbuf err;
    sbuf_init(&err);
    int rc = progress_load(dir, l->id, l->lang, p, &err);
    char sha[65];
    progress_hex(l->sha256, sha);
    /* Saved inputs go through the lesson's validator before any runs. */
    if (rc == 0 && !strcmp(p->sha256, sha) && flow_inputs_check(l, p->inputs, &err) != 0) {
        progress_free(p);
        rc = -1;
    }
    if (rc < 0 && s->owner)
        keep_bad(l, dir, err.s, found->notice, sizeof found->notice);
    /* Inputs recorded against another version of the file would not
     * rebuild the same run: only the same file resumes. */
    found->resumable =
        rc == 0 && p->n_inputs > 0 && !strcmp(p->sha256, sha) && f->n_inputs == 0 && s->owner;
    if (!found->resumable)
        progress_free(p);
    sbuf_free(&err);
}

void progress_found_free(struct progress_found *found)
{
    progress_free(&found->saved);
}

/* "step 3/37": where the saved attempt stands. */
static void saved_step(const struct progress *saved, char *out, size_t n)
{
    size_t at = saved->step < saved->n_steps ? saved->step + 1 : saved->n_steps;
    ui_trf(out, n, UI_MSG_STEP, at, saved->n_steps);
}

void progress_session_question(const struct progress *saved, char *out, size_t n)
{
    char where[64];
    saved_step(saved, where, sizeof where);
    /* The score is of what was tried (tutor/score.h): none yet, none said. */
    if (saved->total)
        ui_trf(out, n, UI_MSG_RESUME, where, saved->score, saved->total);
    else
        ui_trf(out, n, UI_MSG_RESUME_AT, where);
}

void progress_session_restart_question(const struct progress *saved, char *out, size_t n)
{
    char where[64];
    saved_step(saved, where, sizeof where);
    ui_trf(out, n, UI_MSG_RESTART_ASK, where);
}

void progress_session_answer(struct progress_session *s, struct flow *f,
                             const struct progress *saved, bool resume)
{
    /* Starting over keeps the record (done, best score): the next save
     * merges it. */
    if (resume)
        flow_replay(f, saved->inputs);
    s->saved = f->n_inputs;
}

void progress_session_close(struct progress_session *s)
{
    progress_release(s->fd);
    s->fd = -1;
}
