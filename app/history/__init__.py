"""The user's own record: settings, favourites, resume positions, and every listen."""

from app.history.csv_io import CsvImportError, check_csv_file, csv_listens, export_csv, import_csv
from app.history.listens import Listen, ListenLog, NewListen, Practice, is_completed
from app.history.stats import DayPractice, Stats, minutes_per_week, practice_days, statistics
from app.history.store import Store, StoreError

__all__ = [
    "CsvImportError",
    "DayPractice",
    "Listen",
    "ListenLog",
    "NewListen",
    "Practice",
    "Stats",
    "Store",
    "StoreError",
    "export_csv",
    "import_csv",
    "check_csv_file",
    "csv_listens",
    "is_completed",
    "minutes_per_week",
    "practice_days",
    "statistics",
]
