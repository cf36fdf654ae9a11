"""What the window runs besides its widgets: the player and its output, long work on threads,
the desktop's services on D-Bus, one instance per user."""
