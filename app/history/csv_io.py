"""The listening log as CSV: what `kindred history --csv` writes and `--import` reads back.

Times are written in the listener's local time with its offset ("2026-03-29T09:15:00+02:00"):
readable in a spreadsheet, and still the exact instant and offset, so a round trip loses
nothing. Numbers are written in Python's shortest exact form for the same reason.

An import is validated whole before anything is added: one bad row and nothing is imported,
with every problem named by its line number in the file.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from app.errors import KindredError
from app.history.listens import Listen, NewListen

COLUMNS = [
    "started_at",
    "time_zone",
    "script",
    "title",
    "theme",
    "length_s",
    "heard_s",
    "ended_at",
    "completed",
    "manual",
    "note",
]
_TRUE = {"1", "yes", "true"}
_FALSE = {"0", "no", "false"}


class CsvImportError(KindredError):
    title = "Nothing was imported"

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        line, message = problems[0]
        more = f" ({len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"line {line}: {message}{more}. Correct the file and import it again.")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def export_csv(listens: Iterable[Listen], file: TextIO) -> int:
    """Writes a header and one row per listen; returns how many rows."""
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for listen in listens:
        writer.writerow(
            [
                listen.started_at.isoformat(timespec="seconds"),
                listen.tz or "",
                listen.script or "",
                listen.title,
                listen.theme or "",
                _number(listen.length_s),
                _number(listen.heard_s),
                listen.ended_at.isoformat(timespec="seconds") if listen.ended_at else "",
                int(listen.completed),
                int(listen.manual),
                listen.note or "",
            ]
        )
        count += 1
    return count


def _time(text: str, column: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a date and time like 2026-03-29T09:15:00+02:00") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{column} {text!r} has no UTC offset (add one, e.g. +02:00)")
    return moment


def _seconds(text: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{column} {text!r} must be 0 or more")
    return value


def _flag(text: str, column: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{column} {text!r} must be 1 or 0")


def _row(record: dict[str, str]) -> NewListen:
    if not record["title"].strip():
        raise ValueError("title is empty")
    started = _time(record["started_at"], "started_at")
    ended = _time(record["ended_at"], "ended_at") if record["ended_at"] else None
    if ended is not None and ended < started:
        raise ValueError("ended_at is before started_at")
    return NewListen(
        script=record["script"] or None,
        title=record["title"],
        theme=record["theme"] or None,
        length_s=_seconds(record["length_s"], "length_s"),
        started_at=started,
        tz=record["time_zone"] or None,
        heard_s=_seconds(record["heard_s"], "heard_s"),
        ended_at=ended,
        completed=_flag(record["completed"], "completed"),
        manual=_flag(record["manual"], "manual"),
        note=record["note"] or None,
    )


def import_csv(text: str) -> list[NewListen]:
    """Parses and checks every row; raises CsvImportError naming each bad line, else the listens."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    problems: list[tuple[int, str]] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise CsvImportError([(1, f"not readable as CSV ({error})")]) from None
    if header is None:
        raise CsvImportError([(1, "the file is empty; expected a header: " + ",".join(COLUMNS))])
    header = [name.strip() for name in header]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
                "a column appears twice" if len(set(header)) != len(header) else "",
            )
            if part
        )
        raise CsvImportError([(1, f"the header is not Kindred's ({detail}); expected: {','.join(COLUMNS)}")])

    listens: list[NewListen] = []
    line = reader.line_num + 1  # where the next record starts (a quoted note may span lines)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((line, f"not readable as CSV ({error})"))
            break
        if fields and any(field.strip() for field in fields):
            if len(fields) != len(header):
                problems.append((line, f"{len(fields)} fields where the header has {len(header)}"))
            else:
                try:
                    listens.append(_row(dict(zip(header, fields, strict=True))))
                except ValueError as error:
                    problems.append((line, str(error)))
        line = reader.line_num + 1
    if problems:
        raise CsvImportError(problems)
    return listens
