"""The listening history (SQLite); built in its own issue."""
