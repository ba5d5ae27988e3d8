/*
 * Replays a fuzz target's inputs without libFuzzer: every file named on the command line, and
 * every file inside a folder named there, is passed once to LLVMFuzzerTestOneInput. Builds that
 * do not use clang run the seed corpus and saved crash inputs this way as a regression test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }

    uint8_t *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(data, cap);
            if (grown == NULL) {
                free(data);
                fclose(f);
                return 1;
            }
            data = grown;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);

    /* A copy of exactly len bytes lets AddressSanitizer catch reads past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(data);
        return 1;
    }
    if (len > 0)
        memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int replay_path(const char *path, int *count)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0; /* a target without a corpus folder replays nothing */
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return replay_file(path);
    }

    DIR *dir = opendir(path);
    if (dir == NULL)
        return 1;
    int failed = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        failed |= replay_path(child, count);
    }
    closedir(dir);
    return failed;
}

int main(int argc, char **argv)
{
    int failed = 0, count = 0;
    for (int i = 1; i < argc; i++)
        failed |= replay_path(argv[i], &count);
    fprintf(stderr, "replay: %d inputs\n", count);
    return failed;
}
