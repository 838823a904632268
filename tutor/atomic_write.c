/* atomic_write: temporary file, fsync, rename; nothing half-written. */
#include "atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool atomic_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int fail(struct sbuf *err, const char *path, const char *why)
{
    sbuf_printf(err, gettext("cannot write %s: %s"), path, why);
    return -1;
}

/* Flushes the directory entry of a rename; some file systems cannot, and
 * the data is already safe then, so errors are ignored. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int atomic_write(const char *path, const void *data, size_t len, bool replace, struct sbuf *err)
{
    if (!path || !*path)
        return fail(err, "\"\"", gettext("no file name"));
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return fail(err, path, gettext("it exists and is not a regular file"));
        if (!replace)
            return fail(err, path, gettext("the file exists (not replaced)"));
    }
    /* The temporary file goes beside the target: a rename is atomic only
     * within one file system. */
    size_t n = strlen(path);
    const char *slash = strrchr(path, '/');
    char *dir = malloc(n + 2);
    char *tmp = malloc(n + 32);
    if (!dir || !tmp)
        abort();
    if (slash) {
        size_t dl = (size_t)(slash - path);
        memcpy(dir, path, dl ? dl : 1);
        dir[dl ? dl : 1] = 0;
        snprintf(tmp, n + 32, "%.*s/.%s.XXXXXX", (int)dl, path, slash + 1);
    } else {
        strcpy(dir, ".");
        snprintf(tmp, n + 32, ".%s.XXXXXX", path);
    }
    int rc = -1;
    /* Past a file size limit, write() fails with EFBIG instead of the
     * signal killing the program with the temporary file left behind. */
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGXFSZ, &ign, &old);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fail(err, path, strerror(errno));
        goto out;
    }
    /* mkstemp makes the file private; a transcript is an ordinary file. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fail(err, path, w < 0 ? strerror(errno) : gettext("nothing written (disk full?)"));
            close(fd);
            unlink(tmp);
            goto out;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
        fail(err, path, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    if (close(fd) != 0) {
        fail(err, path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    if (!replace) {
        /* link() refuses an existing name: nothing created meanwhile is
         * overwritten. File systems without hard links get a rename. */
        if (link(tmp, path) == 0) {
            unlink(tmp);
            sync_dir(dir);
            rc = 0;
            goto out;
        }
        if (errno == EEXIST) {
            fail(err, path, gettext("the file exists (not replaced)"));
            unlink(tmp);
            goto out;
        }
    }
    if (rename(tmp, path) != 0) {
        fail(err, path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    sync_dir(dir);
    rc = 0;
out:
    sigaction(SIGXFSZ, &old, NULL);
    free(dir);
    free(tmp);
    return rc;
}
