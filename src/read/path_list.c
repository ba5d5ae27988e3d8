/*
 * Expansion of the log paths given on a command line: a file stays as given, "-" (standard
 * input) is kept, and a folder is walked recursively in byte order of the entry names, so
 * that runs are repeatable. Entries whose names start with "." are skipped, and so are
 * entries that are neither regular files nor folders (sockets, pipes, devices). Symbolic links
 * are followed; the depth cap FH_MAX_DIR_DEPTH also stops a link that loops.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "foxhound/limits.h"
#include "foxhound/reader.h"

static fh_status add_path(fh_path_list *list, size_t *cap, const char *path, fh_error *err)
{
    if (list->count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 16;
        char **grown = realloc(list->paths, grown_cap * sizeof *grown);
        if (grown == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, path, 0, 0, "out of memory listing files");
        list->paths = grown;
        *cap = grown_cap;
    }
    list->paths[list->count] = strdup(path);
    if (list->paths[list->count] == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, path, 0, 0, "out of memory listing files");
    list->count++;
    return FH_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t dlen = strlen(dir), nlen = strlen(name);
    bool slash = dlen > 0 && dir[dlen - 1] == '/';
    char *path = malloc(dlen + nlen + 2);
    if (path == NULL)
        return NULL;
    memcpy(path, dir, dlen);
    if (!slash)
        path[dlen++] = '/';
    memcpy(path + dlen, name, nlen + 1);
    return path;
}

/* Reads a folder's visible entry names, sorted. */
static fh_status list_folder(const char *dir, char ***names, size_t *count, fh_error *err)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return fh_error_set(err, errno == ENOENT ? FH_ERR_NOT_FOUND : FH_ERR_IO, dir, 0, 0,
                            "cannot open the folder: %s", strerror(errno));

    fh_path_list found = {0};
    size_t cap = 0;
    fh_status st = FH_OK;
    struct dirent *entry;
    while (st == FH_OK && (entry = readdir(d)) != NULL) {
        if (entry->d_name[0] != '.')
            st = add_path(&found, &cap, entry->d_name, err);
    }
    closedir(d);
    if (st != FH_OK) {
        fh_path_list_free(&found);
        return st;
    }
    if (found.count > 1)
        qsort(found.paths, found.count, sizeof *found.paths, compare_names);
    *names = found.paths;
    *count = found.count;
    return FH_OK;
}

static fh_status expand(const char *path, int depth, bool top, fh_path_list *out, size_t *cap,
                        fh_error *err);

static fh_status expand_folder(const char *dir, int depth, fh_path_list *out, size_t *cap,
                               fh_error *err)
{
    if (depth > FH_MAX_DIR_DEPTH)
        return fh_error_set(err, FH_ERR_LIMIT, dir, 0, 0,
                            "folders nest deeper than %d levels (a symbolic link loop?); "
                            "give the inner folder directly",
                            FH_MAX_DIR_DEPTH);
    char **names;
    size_t count;
    fh_status st = list_folder(dir, &names, &count, err);
    if (st != FH_OK)
        return st;

    for (size_t i = 0; i < count && st == FH_OK; i++) {
        char *child = join_path(dir, names[i]);
        if (child == NULL)
            st = fh_error_set(err, FH_ERR_NOMEM, dir, 0, 0, "out of memory listing files");
        else
            st = expand(child, depth + 1, false, out, cap, err);
        free(child);
    }
    fh_path_list names_list = {names, count};
    fh_path_list_free(&names_list);
    return st;
}

static fh_status expand(const char *path, int depth, bool top, fh_path_list *out, size_t *cap,
                        fh_error *err)
{
    if (top && strcmp(path, "-") == 0)
        return add_path(out, cap, path, err);

    struct stat sb;
    if (stat(path, &sb) != 0)
        return fh_error_set(err, errno == ENOENT ? FH_ERR_NOT_FOUND : FH_ERR_IO, path, 0, 0,
                            "cannot read the path: %s", strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return expand_folder(path, depth, out, cap, err);
    /* A path named on its own is read whatever its kind, so that pipes work. */
    if (top || S_ISREG(sb.st_mode))
        return add_path(out, cap, path, err);
    return FH_OK;
}

fh_status fh_path_list_expand(const char *const *paths, size_t count, fh_path_list *out,
                              fh_error *err)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    for (size_t i = 0; i < count; i++) {
        fh_status st = expand(paths[i], 0, true, out, &cap, err);
        if (st != FH_OK) {
            fh_path_list_free(out);
            return st;
        }
    }
    return FH_OK;
}

void fh_path_list_free(fh_path_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    list->paths = NULL;
    list->count = 0;
}
