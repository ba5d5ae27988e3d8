/*
 * Helpers shared by the cmocka unit tests: paths to the project and to the optional public
 * sample data, and whole-file reads.
 */
#ifndef FH_TEST_H
#define FH_TEST_H

#include <stddef.h>

/* Returns a malloc'd path under the project root (FH_SOURCE_DIR, else "."). */
char *fh_test_source_path(const char *relative);

/*
 * Returns a malloc'd path under the public sample data folder (FH_SHARED_DIR), or NULL when
 * that folder is absent. A test that gets NULL prints why and skips (see FH_TEST_NEED_SHARED).
 */
char *fh_test_shared_path(const char *relative);

/* Reads a whole file into a malloc'd buffer with a NUL after the data; NULL on failure. */
char *fh_test_read_file(const char *path, size_t *len);

/* Exit code that ctest treats as "skipped". */
#define FH_TEST_SKIP_CODE 77

/* In main(): skips the whole test program with a visible message when the sample data is
 * absent, as it is in a user's clone. */
#define FH_TEST_NEED_SHARED()                                                                  \
    do {                                                                                       \
        char *fh_probe_ = fh_test_shared_path("data/public");                                  \
        if (fh_probe_ == NULL) {                                                               \
            fprintf(stderr, "SKIP: public sample data folder not found (set FH_SHARED_DIR)\n"); \
            return FH_TEST_SKIP_CODE;                                                          \
        }                                                                                      \
        free(fh_probe_);                                                                       \
    } while (0)

#endif
