"""A 64-bit D-Bus integer (`x`) for any value, where PySide cannot declare one.

Inside an `a{sv}` (MPRIS's Metadata) a value's D-Bus type is its QVariant's type, and PySide
turns a Python int into a 32-bit QVariant whenever it fits: `mpris:length`, which the
specification gives as `x`, went out as `i` for sessions under 35 minutes. PySide's
`QDBusArgument << int` is no way out either: of QtDBus's seven integer overloads it always
picks `unsigned short`. So the value is written by QtDBus's own exported
`QDBusArgument::operator<<(qlonglong)`, called through ctypes on the argument PySide holds. A
QDBusArgument inside a map goes out as a variant of what it holds, here `x`.

Where that function cannot be found (a Qt built differently, not Linux), the plain int is
returned: clients read it as a number either way, only strict type checks differ.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtDBus import QDBusArgument

log = logging.getLogger(__name__)

#: `QDBusArgument &QDBusArgument::operator<<(qlonglong)`, mangled as the Itanium C++ ABI does
#: on every platform Qt builds with GCC or Clang.
_APPEND_INT64_SYMBOL = "_ZN13QDBusArgumentlsEx"


def int64_argument(value: int) -> QDBusArgument | int:
    """`value` as a QDBusArgument holding one `x`; the plain int where that cannot be made."""
    append = _append_int64()
    if append is None:
        return value
    argument = QDBusArgument()
    append(shiboken6.getCppPointer(argument)[0], value)
    return argument


@functools.cache
def _append_int64() -> Callable[[int, int], object] | None:
    library = _loaded_qt_dbus_library()
    if library is None:
        log.debug("QtDBus library not found among the loaded ones; 64-bit integers go out as plain ints")
        return None
    try:
        function = getattr(ctypes.CDLL(library), _APPEND_INT64_SYMBOL)
    except (OSError, AttributeError):
        log.debug("%s has no %s; 64-bit integers go out as plain ints", library, _APPEND_INT64_SYMBOL)
        return None
    function.argtypes = [ctypes.c_void_p, ctypes.c_longlong]
    function.restype = ctypes.c_void_p
    return function


def _loaded_qt_dbus_library() -> str | None:
    """The path of the QtDBus that PySide loaded (a wheel's own or the system's), never another."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.split(maxsplit=5)[-1].strip()
                if "/libQt6DBus.so" in path:
                    return path
    except OSError:
        return None
    return None
