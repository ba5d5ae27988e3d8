/* Paths and file reads for the unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fh_test.h"

static char *join(const char *dir, const char *relative)
{
    size_t n = strlen(dir) + strlen(relative) + 2;
    char *path = malloc(n);
    if (path != NULL)
        snprintf(path, n, "%s/%s", dir, relative);
    return path;
}

char *fh_test_source_path(const char *relative)
{
    const char *dir = getenv("FH_SOURCE_DIR");
    return join(dir && *dir ? dir : ".", relative);
}

char *fh_test_shared_path(const char *relative)
{
    const char *dir = getenv("FH_SHARED_DIR");
    if (dir == NULL || *dir == '\0')
        return NULL;
    char *path = join(dir, relative);
    struct stat st;
    if (path == NULL || stat(path, &st) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

char *fh_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        char *grown = realloc(buf, cap + 1);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
        } else {
            buf = grown;
        }
    }
    fclose(f);
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}
