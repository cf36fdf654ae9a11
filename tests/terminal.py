"""Reading what a program wrote to a pseudo-terminal, as a person would see it."""

import os


def read_until_closed(controller: int) -> bytes:
    """Everything written to the terminal until the program closes it; closes our end too."""
    shown = b""
    try:
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the program has closed the terminal
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    return shown
