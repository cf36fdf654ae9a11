"""The limits a script keeps within: its size, a pause, and a whole session.

Shared by the parser, the library (which refuses a file before reading it) and the renderer.
"""

MAX_FILE_BYTES = 1024 * 1024
MAX_PAUSE_SECONDS = 3600
MAX_LENGTH_SECONDS = 3 * 3600
