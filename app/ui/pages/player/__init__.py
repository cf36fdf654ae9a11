"""The Player page."""
