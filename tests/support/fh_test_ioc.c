/* Helpers shared by the indicator import tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "fh_test.h"
#include "fh_test_ioc.h"
#include "foxhound/datetime.h"

void fh_test_import_shared(const char *relative, fh_ioc_set *set, fh_ioc_format want)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    fh_error err;
    fh_ioc_format used = FH_IOC_FORMAT_AUTO;
    if (fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, set, &used, &err) != FH_OK) {
        char msg[1200];
        fh_error_format(&err, msg, sizeof msg);
        free(path);
        fail_msg("%s", msg);
    }
    free(path);
    assert_string_equal(fh_ioc_format_name(used), fh_ioc_format_name(want));
}

void fh_test_assert_date(int64_t ticks, const char *want)
{
    char buf[40];
    fh_datetime_format(ticks, buf, sizeof buf);
    assert_string_equal(buf, want);
}
