"""The terminal front end of `kindred play` and the command line's progress line."""
