"""Rows read straight from the pages of a damaged SQLite file, where SQL can no longer reach them.

When a table's interior page is damaged, every query that descends through it fails, although
the rows themselves sit intact on leaf pages. This reads the file as SQLite's file format
describes it (https://www.sqlite.org/fileformat2.html): every table-leaf page, each cell's
rowid and record, overflow chains followed; a cell that does not parse is skipped. Which table
a record belongs to is told by its shape (the number of columns and their kinds), since the
pages that said so are what may be damaged.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

#: A table-leaf page starts with this byte (after the 100-byte file header on page 1).
TABLE_LEAF = 0x0D
#: A chain of overflow pages longer than this is damage, not data.
MAX_OVERFLOW_PAGES = 1024

Record = tuple[int, list]  # rowid, values
Shape = Callable[[list], bool]


def salvage(path: Path, shape: Shape) -> list[Record]:
    """Every record of `path` that `shape` accepts, by rowid (the first copy of each rowid)."""
    data = Path(path).read_bytes()
    if len(data) < 100 or not data.startswith(b"SQLite format 3\x00"):
        return []
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512:
        return []
    usable = page_size - data[20]
    found: dict[int, list] = {}
    for rowid, values in _leaf_records(data, page_size, usable):
        if rowid not in found and shape(values):
            found[rowid] = values
    return sorted(found.items())


def _leaf_records(data: bytes, page_size: int, usable: int) -> Iterator[Record]:
    for number in range(1, len(data) // page_size + 1):
        base = (number - 1) * page_size
        header = base + (100 if number == 1 else 0)
        if data[header] != TABLE_LEAF:
            continue
        cells = int.from_bytes(data[header + 3 : header + 5], "big")
        for index in range(min(cells, page_size // 2)):
            pointer = int.from_bytes(data[header + 8 + 2 * index : header + 10 + 2 * index], "big")
            try:
                yield _cell(data, base, base + pointer, page_size, usable)
            except (IndexError, ValueError, UnicodeDecodeError):
                continue  # a damaged cell: the next may be fine


def _cell(data: bytes, base: int, at: int, page_size: int, usable: int) -> Record:
    if not base <= at < base + page_size:
        raise ValueError("cell pointer outside its page")
    payload_size, at = _varint(data, at)
    rowid, at = _varint(data, at)
    payload = _payload(data, at, payload_size, page_size, usable)
    return _signed(rowid), _record(payload)


def _payload(data: bytes, at: int, size: int, page_size: int, usable: int) -> bytes:
    """The cell's payload, its overflow pages followed (the format's local-size rule)."""
    most_local = usable - 35
    if size <= most_local:
        return data[at : at + size]
    least_local = (usable - 12) * 32 // 255 - 23
    local = least_local + (size - least_local) % (usable - 4)
    if local > most_local:
        local = least_local
    pieces = [data[at : at + local]]
    remaining = size - local
    page = int.from_bytes(data[at + local : at + local + 4], "big")
    for _ in range(MAX_OVERFLOW_PAGES):
        if remaining <= 0:
            break
        start = (page - 1) * page_size
        if page < 1 or start + page_size > len(data):
            raise ValueError("overflow page outside the file")
        take = min(remaining, usable - 4)
        pieces.append(data[start + 4 : start + 4 + take])
        remaining -= take
        page = int.from_bytes(data[start : start + 4], "big")
    if remaining > 0:
        raise ValueError("overflow chain too long")
    return b"".join(pieces)


def _record(payload: bytes) -> list:
    header_size, at = _varint(payload, 0)
    if not 0 < header_size <= len(payload):
        raise ValueError("record header size")
    types = []
    while at < header_size:
        kind, at = _varint(payload, at)
        types.append(kind)
    values, at = [], header_size
    for kind in types:
        value, at = _value(payload, at, kind)
        values.append(value)
    if at > len(payload):
        raise ValueError("record longer than its payload")
    return values


def _value(payload: bytes, at: int, kind: int) -> tuple[object, int]:
    if kind == 0:
        return None, at
    if 1 <= kind <= 6:
        width = (1, 2, 3, 4, 6, 8)[kind - 1]
        if at + width > len(payload):
            raise ValueError("integer beyond the payload")
        return int.from_bytes(payload[at : at + width], "big", signed=True), at + width
    if kind == 7:
        if at + 8 > len(payload):
            raise ValueError("real beyond the payload")
        return struct.unpack(">d", payload[at : at + 8])[0], at + 8
    if kind in (8, 9):
        return kind - 8, at
    if kind >= 12:
        length = (kind - 12) // 2
        raw = payload[at : at + length]
        if len(raw) != length:
            raise ValueError("text or blob beyond the payload")
        return (raw.decode("utf-8") if kind % 2 else bytes(raw)), at + length
    raise ValueError(f"reserved serial type {kind}")


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for index in range(9):
        byte = data[at + index]
        if index == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + index + 1
    raise ValueError("varint")  # not reached


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


# -- the shapes of Kindred's own tables (app/history/store.py's MIGRATIONS) ------------------

_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _flag(value: object) -> bool:
    return value in (0, 1)


def _text(value: object) -> bool:
    return isinstance(value, str)


def is_listen(values: list) -> bool:
    return (
        len(values) == 16
        and values[0] is None  # the id is the rowid itself
        and _text(values[2])
        and _number(values[4])
        and _text(values[5])
        and isinstance(values[6], int)
        and isinstance(values[8], int)
        and _number(values[9])
        and _text(values[11])
        and all(_flag(values[i]) for i in (12, 13, 15))
    )


def is_position(values: list) -> bool:
    integers = all(isinstance(value, int) for value in values[1:4])
    return len(values) == 5 and _text(values[0]) and integers and _text(values[4])


def is_favourite(values: list) -> bool:
    return len(values) == 2 and _text(values[0]) and _text(values[1]) and bool(_DATETIME.fullmatch(values[1]))


def is_setting(values: list) -> bool:
    # A setting's value is JSON: never a bare date and time as a favourite's is.
    return len(values) == 2 and _text(values[0]) and _text(values[1]) and not _DATETIME.fullmatch(values[1])


SHAPES: dict[str, Shape] = {
    "settings": is_setting,
    "favourites": is_favourite,
    "positions": is_position,
    "listens": is_listen,
}
