/* Whole-file input: plain, gzip (one and two members), zstd, corrupt and missing files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "core/input.h"
#include "foxhound/ioc_import.h"

static const char text[] = "80[.]76[.]49[.]194:56003\nevil[.]example[.]com\n";

/* Compresses src as one gzip member into out; returns the size. */
static size_t gzip_bytes(const char *src, size_t len, unsigned char *out, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (Bytef *)src;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t n = cap - zs.avail_out;
    deflateEnd(&zs);
    return n;
}

static void input_plain_copy(void **state)
{
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(fh_input_decode("plain", text, strlen(text), &data, &len, NULL), FH_OK);
    assert_int_equal(len, strlen(text));
    assert_string_equal(data, text);
    free(data);
}

static void input_gzip_two_members(void **state)
{
    unsigned char buf[512];
    size_t a = gzip_bytes(text, strlen(text), buf, sizeof buf);
    size_t b = gzip_bytes("second\n", 7, buf + a, sizeof buf - a);

    char *data = NULL;
    size_t len = 0;
    assert_int_equal(fh_input_decode("two.gz", (char *)buf, a + b, &data, &len, NULL), FH_OK);
    assert_int_equal(len, strlen(text) + 7);
    assert_memory_equal(data, text, strlen(text));
    assert_string_equal(data + strlen(text), "second\n");
    free(data);
}

static void input_gzip_truncated(void **state)
{
    unsigned char buf[512];
    size_t n = gzip_bytes(text, strlen(text), buf, sizeof buf);
    char *data = NULL;
    size_t len = 0;
    fh_error err;
    assert_int_equal(fh_input_decode("cut.gz", (char *)buf, n - 6, &data, &len, &err),
                     FH_ERR_COMPRESS);
    assert_string_equal(err.source, "cut.gz");
    assert_non_null(strstr(err.message, "truncated"));
}

static void input_zstd_frame(void **state)
{
    unsigned char buf[512];
    size_t n = ZSTD_compress(buf, sizeof buf, text, strlen(text), 3);
    assert_false(ZSTD_isError(n));

    char *data = NULL;
    size_t len = 0;
    assert_int_equal(fh_input_decode("feed.zst", (char *)buf, n, &data, &len, NULL), FH_OK);
    assert_string_equal(data, text);
    free(data);

    fh_error err;
    assert_int_equal(fh_input_decode("cut.zst", (char *)buf, n - 3, &data, &len, &err),
                     FH_ERR_COMPRESS);
    assert_non_null(strstr(err.message, "truncated"));
}

static void input_file_gzip_import(void **state)
{
    const char *page = "| Type | Value |\n|---|---|\n| ip:port | 80[.]76[.]49[.]194:56003 |\n";
    unsigned char buf[512];
    size_t n = gzip_bytes(page, strlen(page), buf, sizeof buf);
    char path[] = "/tmp/fh_input_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    close(fd);

    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_ioc_format used;
    assert_int_equal(fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, &set, &used, &err), FH_OK);
    unlink(path);
    assert_int_equal(used, FH_IOC_FORMAT_RULEPAGE);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].value, "80.76.49.194:56003");
    fh_ioc_set_clear(&set);
}

static void input_missing_file(void **state)
{
    char *data = NULL;
    size_t len = 0;
    fh_error err;
    assert_int_equal(fh_input_read_all("/nonexistent/feed.csv", &data, &len, &err),
                     FH_ERR_NOT_FOUND);
    assert_string_equal(err.source, "/nonexistent/feed.csv");
    assert_non_null(strstr(err.message, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(input_plain_copy),       cmocka_unit_test(input_gzip_two_members),
        cmocka_unit_test(input_gzip_truncated),   cmocka_unit_test(input_zstd_frame),
        cmocka_unit_test(input_file_gzip_import), cmocka_unit_test(input_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
