"""The window's pages: one package each, and no page imports another."""
