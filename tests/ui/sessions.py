"""A few-second script and a player screen around it, shared by the player-screen tests."""

from app import paths
from app.history import ListenLog, Store
from app.tts import FakeEngine
from app.ui.pages.player.page import PlayerView
from app.ui.services.stream_player import StreamPlayer

SHORT_SCRIPT = """---
title: Short Test
summary: A few seconds.
theme: test
durations: [9s, 14s]
---
# One
Breathe in.
[pause 1s+]
# Two
Breathe out.
[pause 1s+]
# Three
Rest.
"""


def player_view_fixture(qtbot, with_log: bool):
    """Yields a PlayerView on the fake voice; closes everything it opened afterwards."""
    store = Store(paths.database_path())
    player = StreamPlayer()
    widget = PlayerView(player, FakeEngine(), store, log=ListenLog(store) if with_log else None)
    qtbot.addWidget(widget)
    yield widget
    player.close()
    store.close()
