"""The exit statuses of `kindred`, as scripts and shells read them."""

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
