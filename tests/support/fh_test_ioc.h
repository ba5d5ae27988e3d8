/* Helpers shared by the indicator import tests. */
#ifndef FH_TEST_IOC_H
#define FH_TEST_IOC_H

#include <stdint.h>

#include "foxhound/ioc_import.h"

/*
 * Imports a file under the public sample data folder with format detection, failing the
 * test with the formatted error when the import fails or detects another format than want.
 */
void fh_test_import_shared(const char *relative, fh_ioc_set *set, fh_ioc_format want);

/* Fails the test unless ticks prints as want ("2026-06-11T00:00:00Z"). */
void fh_test_assert_date(int64_t ticks, const char *want);

#endif
