/* ui_menu: the lesson menu of `tutor` alone — every lesson found in the
 * installed and source-tree lesson folders, with its title, summary and
 * the learner's saved progress and score, filterable by protocol and
 * language (by default the preferred language, each lesson falling back
 * to English where it has no translation); Enter opens one, and quitting
 * it comes back here. */
#include <libintl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <strings.h>

#include "tutor/i18n.h"
#include "tutor/safe_text.h"
#include "text.h"
#include "ui_internal.h"

struct menu_item {
    char *path, *title, *summary, *lang, *id;
    enum protocol protocol;
    char progress[96]; /* "step 7/21 · score 3/7", "" when none */
};

struct menu {
    struct menu_item *items;
    size_t n, cap;
    char *langs[32];
    int n_langs;
};

static char *dup_str(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static void add_file(struct menu *m, const char *path)
{
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_load(path, &l, &errs);
    lesson_errors_free(&errs);
    if (rc != 0)
        return; /* refused files are `tutor check`'s business */
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->items = realloc(m->items, m->cap * sizeof *m->items);
        if (!m->items)
            abort();
    }
    struct menu_item *it = &m->items[m->n++];
    it->path = dup_str(path);
    it->title = dup_str(l->title);
    it->summary = dup_str(l->summary);
    it->lang = dup_str(l->lang);
    it->id = dup_str(l->id);
    it->protocol = l->protocol;
    ui_progress_summary(it->id, it->lang, it->progress, sizeof it->progress);
    bool known = false;
    for (int i = 0; i < m->n_langs; i++)
        known |= !strcmp(m->langs[i], it->lang);
    if (!known && m->n_langs < 32)
        m->langs[m->n_langs++] = it->lang;
    lesson_free(l);
}

static void scan(struct menu *m, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        names[n++] = dup_str(e->d_name);
    }
    closedir(d);
    /* A stable order: by name. */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            char *t = names[k];
            names[k] = names[k - 1];
            names[k - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 2)
            scan(m, path, depth + 1);
        else if (strlen(names[i]) > 5 && !strcmp(names[i] + strlen(names[i]) - 5, ".json"))
            add_file(m, path);
        free(names[i]);
    }
    free(names);
}

static void menu_free(struct menu *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].path);
        free(m->items[i].title);
        free(m->items[i].summary);
        free(m->items[i].lang);
        free(m->items[i].id);
    }
    free(m->items);
}

struct menu_ui {
    struct menu *m;
    int proto; /* -1 all, else enum protocol */
    int lang;  /* MENU_PREFERRED, -1 all, else index in m->langs */
    size_t cur;
    bool colors;
    struct ui_options opt;
    bool unknown; /* the last key did nothing: the keys line says so */
};

/* The preferred language (ui_i18n_lesson_lang), falling back to English. */
#define MENU_PREFERRED (-2)

/* Same language: equal tags, or a tag and its primary subtag ("zh" and
 * "zh-CN"). */
static bool same_lang(const char *a, const char *b)
{
    size_t na = strcspn(a, "-_"), nb = strcspn(b, "-_");
    return !strcasecmp(a, b) || (na == nb && !strncasecmp(a, b, na) && (!a[na] || !b[nb]));
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A translation of item i in the preferred language exists. */
static bool has_translation(const struct menu *m, size_t i, const char *pref)
{
    for (size_t k = 0; k < m->n; k++)
        if (k != i && same_lang(m->items[k].lang, pref) &&
            (!strcmp(m->items[k].id, m->items[i].id) ||
             !strcmp(base_name(m->items[k].path), base_name(m->items[i].path))))
            return true;
    return false;
}

static bool shown(const struct menu_ui *mu, size_t i)
{
    const struct menu_item *it = &mu->m->items[i];
    if (mu->proto >= 0 && (int)it->protocol != mu->proto)
        return false;
    if (mu->lang == MENU_PREFERRED) {
        const char *pref = ui_i18n_lesson_lang();
        if (same_lang(it->lang, pref))
            return true;
        return same_lang(it->lang, "en") && !has_translation(mu->m, i, pref);
    }
    return mu->lang < 0 || !strcmp(it->lang, mu->m->langs[mu->lang]);
}

/* ASCII only (--ascii, or a locale that is not UTF-8). */
static bool menu_ascii;

static void put_line(int y, int x, int w, attr_t a, const char *text)
{
    char s[1024];
    text_safe(s, sizeof s, text, menu_ascii ? TEXT_SAFE_ASCII : 0);
    int used;
    size_t n = ui_text_fit(s, w, &used);
    attrset(a);
    if (n)
        mvaddnstr(y, x, s, (int)n);
    attrset(A_NORMAL);
}

static void menu_draw(struct menu_ui *mu, const char *const *dirs)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    erase();
    char head[512], lang[64];
    snprintf(lang, sizeof lang, "%s",
             mu->lang == MENU_PREFERRED ? ui_i18n_lesson_lang()
             : mu->lang < 0             ? ui_tr(UI_MSG_MENU_ALL)
                                        : mu->m->langs[mu->lang]);
    char proto[64], language[256];
    ui_trf(proto, sizeof proto, UI_MSG_PROTOCOL,
           mu->proto < 0             ? ui_tr(UI_MSG_MENU_ALL)
           : mu->proto == PROTO_RAFT ? "raft"
                                     : "paxos");
    /* The preferred language lists English lessons without a translation
     * too: said in words (a bare "(en)" was read as a second language). */
    bool fallback = mu->lang == MENU_PREFERRED && strcmp(ui_i18n_lesson_lang(), "en");
    ui_trf(language, sizeof language, fallback ? UI_MSG_LANGUAGE_FALLBACK : UI_MSG_LANGUAGE, lang);
    snprintf(head, sizeof head, "%s   %s   %s", ui_tr(UI_MSG_MENU_TITLE), proto, language);
    attrset(A_REVERSE);
    mvhline(0, 0, ' ', cols);
    put_line(0, 0, cols, A_REVERSE | A_BOLD, head);
    int y = 2;
    size_t count = 0;
    int list_h = rows - 9;
    if (list_h < 3)
        list_h = 3;
    size_t first = mu->cur >= (size_t)list_h ? mu->cur - (size_t)list_h + 1 : 0;
    const struct menu_item *sel = NULL;
    for (size_t i = 0; i < mu->m->n; i++) {
        if (!shown(mu, i))
            continue;
        size_t k = count++;
        if (k == mu->cur)
            sel = &mu->m->items[i];
        if (k < first || y >= 2 + list_h)
            continue;
        char line[512];
        const struct menu_item *it = &mu->m->items[i];
        snprintf(line, sizeof line, "%s %-5s %-5s %s", k == mu->cur ? ">" : " ",
                 it->protocol == PROTO_RAFT ? "raft" : "paxos", it->lang, it->title);
        attr_t a = k == mu->cur ? A_REVERSE : A_NORMAL;
        int pw = it->progress[0] ? ui_text_width(it->progress) + 2 : 0;
        if (k == mu->cur) {
            attrset(a);
            mvhline(y, 1, ' ', cols - 2);
        }
        /* The saved progress at the right; the title gives way to it. */
        char cut[512];
        ui_text_truncate(line, cols - 2 - pw, "\xe2\x80\xa6", cut, sizeof cut);
        put_line(y, 1, cols - 2 - pw, a, cut);
        if (pw)
            put_line(y, cols - 1 - pw + 1, pw - 1, a | A_BOLD, it->progress);
        y++;
    }
    if (!count) {
        char msg[512];
        /* Both places the menu looks, ./lessons even when it is absent:
         * run from outside a checkout, that is the one a newcomer missed. */
        snprintf(msg, sizeof msg, gettext("No lesson found in %s or %s."), dirs[0] ? dirs[0] : "",
                 dirs[1] ? dirs[1] : "./lessons");
        put_line(y, 2, cols - 3, A_BOLD, msg);
        put_line(y + 1, 2, cols - 3, A_NORMAL, gettext("Try: tutor sandbox raft"));
    }
    if (sel && sel->summary[0]) {
        struct ui_text_line lines[6];
        size_t nl = ui_text_wrap(sel->summary, cols - 4, lines, 6);
        /* Four lines when the locale's notice takes the last of them. */
        size_t most = *ui_locale_notice() ? 4 : 5;
        for (size_t i = 0; i < nl && i < most; i++) {
            char seg[1024];
            size_t len = lines[i].len < sizeof seg - 1 ? lines[i].len : sizeof seg - 1;
            memcpy(seg, sel->summary + lines[i].start, len);
            seg[len] = 0;
            put_line(rows - 7 + (int)i, 2, cols - 4, A_DIM, seg);
        }
    }
    if (*ui_locale_notice()) {
        struct ui_text_line lines[2];
        const char *note = ui_locale_notice();
        size_t nl = ui_text_wrap(note, cols, lines, 2);
        for (size_t i = 0; i < nl; i++) {
            char seg[512];
            size_t len = lines[i].len < sizeof seg - 1 ? lines[i].len : sizeof seg - 1;
            memcpy(seg, note + lines[i].start, len);
            seg[len] = 0;
            put_line(rows - 3 + (int)i, 0, cols, A_BOLD, seg);
        }
    }
    if (mu->unknown) {
        char notice[512];
        ui_trf(notice, sizeof notice, UI_MSG_KEY_UNKNOWN, ui_tr(UI_MSG_MENU_KEYS));
        put_line(rows - 1, 0, cols, A_BOLD, notice);
    } else {
        put_line(rows - 1, 0, cols, A_NORMAL, ui_tr(UI_MSG_MENU_KEYS));
    }
    refresh();
}

static size_t n_shown(const struct menu_ui *mu)
{
    size_t n = 0;
    for (size_t i = 0; i < mu->m->n; i++)
        n += shown(mu, i);
    return n;
}

static const struct menu_item *selected(const struct menu_ui *mu)
{
    size_t k = 0;
    for (size_t i = 0; i < mu->m->n; i++)
        if (shown(mu, i) && k++ == mu->cur)
            return &mu->m->items[i];
    return NULL;
}

static int open_lesson(const struct menu_item *it, const struct ui_options *o)
{
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_load(it->path, &l, &errs);
    lesson_errors_free(&errs);
    if (rc != 0)
        return 0;
    struct runner *r = runner_new(l);
    struct ui *u = ui_new(r, o);
    rc = ui_lesson_loop(u);
    ui_free(u);
    runner_free(r);
    lesson_free(l);
    return rc;
}

int ui_menu(const char *const *dirs, const struct ui_options *o)
{
    struct menu m;
    memset(&m, 0, sizeof m);
    for (size_t i = 0; dirs[i]; i++)
        scan(&m, dirs[i], 0);
    struct ui_options checked = *o;
    ui_check_locale(&checked);
    menu_ascii = checked.ascii;
    unsigned safe = menu_ascii ? TEXT_SAFE_ASCII : 0;
    if (ui_want_plain(o)) {
        for (size_t i = 0; i < m.n; i++) {
            char lang[64], path[1024], title[1024];
            printf("%s\t%s\t%s\t%s\n", m.items[i].protocol == PROTO_RAFT ? "raft" : "paxos",
                   text_safe(lang, sizeof lang, m.items[i].lang, safe),
                   text_safe(path, sizeof path, m.items[i].path, safe),
                   text_safe(title, sizeof title, m.items[i].title, safe));
        }
        if (!m.n)
            printf("%s\n", gettext("no lesson found; try: tutor sandbox raft"));
        menu_free(&m);
        return 0;
    }
    if (ui_term_start() != 0) {
        fprintf(stderr, "%s\n", gettext("tutor: this terminal is unknown to curses"));
        menu_free(&m);
        return 1;
    }
    struct menu_ui mu = {.m = &m, .proto = -1, .lang = MENU_PREFERRED, .opt = checked};
    int rc = 0;
    for (;;) {
        menu_draw(&mu, dirs);
        timeout(250);
        wint_t ch;
        int k = get_wch(&ch);
        if (ui_term_interrupted()) {
            rc = 130;
            break;
        }
        if (k == ERR)
            continue;
        bool code = k == KEY_CODE_YES;
        size_t n = n_shown(&mu);
        if (!code && (ch == 'q' || ch == 27))
            break;
        if (code && (ch == KEY_RESIZE || ch == KEY_MOUSE))
            continue;
        /* Any other key says which keys work here (silence looked like a
         * frozen program); the next key that works takes the line back. */
        mu.unknown = false;
        if ((code && ch == KEY_UP) || (!code && ch == 'k')) {
            if (mu.cur > 0)
                mu.cur--;
        } else if ((code && ch == KEY_DOWN) || (!code && ch == 'j')) {
            if (mu.cur + 1 < n)
                mu.cur++;
        } else if (!code && ch == 'p') {
            mu.proto = mu.proto == -1 ? PROTO_RAFT : mu.proto == PROTO_RAFT ? PROTO_PAXOS : -1;
            mu.cur = 0;
        } else if (!code && ch == 'l') {
            /* preferred (with English fallback) -> all -> each language */
            mu.lang = mu.lang + 1 >= m.n_langs ? MENU_PREFERRED : mu.lang + 1;
            mu.cur = 0;
        } else if ((code && ch == KEY_ENTER) || (!code && (ch == '\n' || ch == '\r'))) {
            const struct menu_item *it = selected(&mu);
            if (it && (rc = open_lesson(it, o)) != 0)
                break;
            /* The lesson saved progress: show it. */
            for (size_t i = 0; i < m.n; i++)
                ui_progress_summary(m.items[i].id, m.items[i].lang, m.items[i].progress,
                                    sizeof m.items[i].progress);
            clear();
        } else {
            mu.unknown = true;
        }
    }
    ui_term_end();
    menu_free(&m);
    return rc;
}
