"""The listening log as CSV: what `kindred history --csv` writes and `--import` reads back.

Times are written in the listener's local time with its offset ("2026-03-29T09:15:00+02:00"):
readable in a spreadsheet, and still the exact instant and offset, so a round trip loses
nothing. Numbers are written in Python's shortest exact form for the same reason.

An import is validated whole before anything is added: one bad row and nothing is imported,
with every problem named by its line number in the file. The file is read twice, a row at a
time (checked, then added), so its size does not matter to memory.

Text that a spreadsheet would run as a formula (a cell beginning with =, +, -, @, a tab or a
carriage return) is written with an apostrophe in front, as spreadsheets expect; so is text
that begins with an apostrophe itself. An import takes exactly one leading apostrophe off, so
what comes back is what went out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from app.errors import KindredError
from app.history.listens import MAX_SECONDS, Listen, NewListen

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
#: Free-text columns: what a spreadsheet could take for a formula is neutralised in these.
TEXT_COLUMNS = {"time_zone", "script", "title", "theme", "note"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
#: Dates outside these years are a mistake (and beyond what the log's UTC times can hold).
FIRST_YEAR, LAST_YEAR = 1970, 2999
#: At most this many problems are named; the rest are counted.
MAX_PROBLEMS = 20
_TRUE = {"1", "yes", "true"}
_FALSE = {"0", "no", "false"}


class CsvImportError(KindredError):
    title = "Nothing was imported"

    def __init__(self, problems: list[tuple[int, str]], count: int | None = None):
        #: The first MAX_PROBLEMS problems as (line, message), and how many there are in all.
        self.problems = problems
        self.count = count if count is not None else len(problems)
        line, message = problems[0]
        others = self.count - 1
        more = f" ({others} more problem{'s' if others != 1 else ''})" if others > 0 else ""
        super().__init__(f"line {line}: {message}{more}. Correct the file and import it again.")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def neutralised(text: str) -> str:
    """`text` as a spreadsheet shows it rather than runs it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def restored(text: str) -> str:
    """The text a neutralised cell stands for."""
    return text[1:] if text.startswith("'") else text


def export_csv(listens: Iterable[Listen], file: TextIO) -> int:
    """Writes a header and one row per listen; returns how many rows."""
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for listen in listens:
        writer.writerow(
            [
                listen.started_at.isoformat(timespec="seconds"),
                neutralised(listen.tz or ""),
                neutralised(listen.script or ""),
                neutralised(listen.title),
                neutralised(listen.theme or ""),
                _number(listen.length_s),
                _number(listen.heard_s),
                listen.ended_at.isoformat(timespec="seconds") if listen.ended_at else "",
                int(listen.completed),
                int(listen.manual),
                neutralised(listen.note or ""),
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
    try:
        year = moment.astimezone(UTC).year
    except OverflowError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{column} {text!r} is not between the years {FIRST_YEAR} and {LAST_YEAR}")
    return moment


def _seconds(text: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number of seconds") from None
    if not 0 <= value <= MAX_SECONDS:  # also refuses nan and infinity
        raise ValueError(f"{column} {text!r} must be from 0 to {MAX_SECONDS:.0f} seconds (a day)")
    return value


def _flag(text: str, column: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{column} {text!r} must be 1 or 0")


def _row(record: dict[str, str]) -> NewListen:
    record = {name: restored(value) if name in TEXT_COLUMNS else value for name, value in record.items()}
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
    """Parses and checks every row of `text`; raises CsvImportError naming each bad line, else
    the listens (for small files; `check_csv_file` and `csv_listens` read a file as it goes)."""
    listens = list(_checked(io.StringIO(text, newline="")))
    return listens


def check_csv_file(path: Path) -> int:
    """Checks every row of the file without keeping them; raises CsvImportError naming each bad
    line (the first MAX_PROBLEMS of them), else returns how many listens it holds."""
    with _open(path) as file:
        return sum(1 for _ in _checked(file))


def check_import_file(path: Path) -> int:
    """`check_csv_file`, with a file that cannot be read at all (not UTF-8, missing, not allowed)
    refused in words as well: how both `kindred history --import` and the window refuse a file."""
    try:
        return check_csv_file(path)
    except UnicodeDecodeError:
        raise KindredError(
            f"{path} is not UTF-8 text. Save it as UTF-8 CSV and try again.", "Nothing was imported"
        ) from None
    except OSError as error:
        raise KindredError(f"{path} could not be read ({error.strerror}).", "Nothing was imported") from None


def import_summary(added: int, already: int, source: Path) -> str:
    """What an import says when it is done."""
    message = f"Imported {added} listen{'s' if added != 1 else ''} from {source}."
    if already:
        message += (
            f" {already} listen{'s were' if already != 1 else ' was'} already in your history "
            "and not added again."
        )
    return message


def csv_listens(path: Path) -> Iterator[NewListen]:
    """The listens of a file `check_csv_file` found good, one at a time."""
    with _open(path) as file:
        yield from _checked(file)


def _open(path: Path) -> TextIO:
    # utf-8-sig: a byte-order mark (spreadsheets write one) is not part of the header.
    return Path(path).open(encoding="utf-8-sig", newline="")


def _checked(file: TextIO) -> Iterator[NewListen]:
    """The listens of a CSV file, each row checked; the problems are raised together at the end
    (so a caller that consumes everything sees them before adding anything)."""
    reader = csv.reader(_without_bom(file))
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

    found = 0
    line = reader.line_num + 1  # where the next record starts (a quoted note may span lines)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((line, f"not readable as CSV ({error})"))
            found += 1
            break
        if fields and any(field.strip() for field in fields):
            problem = None
            if len(fields) != len(header):
                problem = f"{len(fields)} fields where the header has {len(header)}"
            else:
                try:
                    listen = _row(dict(zip(header, fields, strict=True)))
                except ValueError as error:
                    problem = str(error)
            if problem is not None:
                found += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append((line, problem))
            elif not found:
                yield listen
        line = reader.line_num + 1
    if problems:
        raise CsvImportError(problems, found)


def _without_bom(file: TextIO) -> Iterator[str]:
    first = True
    for text in file:
        yield text.removeprefix("\ufeff") if first else text
        first = False
