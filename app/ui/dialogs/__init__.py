"""The window's dialogs: export, settings, listens, notes, About and the writing guide."""
