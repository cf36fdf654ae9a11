"""The Timer page."""
