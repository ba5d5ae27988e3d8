/* Keeps the test support library non-empty. */
typedef int fh_test_support_unused;
