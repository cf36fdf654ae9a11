"""The commands of `kindred` that need no window and no Qt, grouped by what they work on; app.cli
parses the command line and runs them."""
