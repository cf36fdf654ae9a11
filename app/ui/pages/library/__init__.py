"""The Library page: `page.LibraryView` is the screen; its docstring maps the modules beside it."""
