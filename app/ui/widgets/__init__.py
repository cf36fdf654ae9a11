"""Small widgets and helpers that several pages and dialogs share."""
