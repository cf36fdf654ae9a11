"""The Player over QMediaPlayer: playing, seeking, skipping, volumes, the ambience fades.

Offscreen and without a sound device: QMediaPlayer still plays (the position advances and
the end arrives), which is all these behaviours need.
"""

from __future__ import annotations

import math

import pytest

pytest.importorskip("PySide6.QtMultimedia")

from PySide6.QtMultimedia import QAudioOutput  # noqa: E402

from app.render import render_session  # noqa: E402
from app.render.sounds import ambience_source  # noqa: E402
from app.script import parse_script  # noqa: E402
from app.tts import FakeEngine  # noqa: E402
from app.ui.player import AMBIENCE_FADE_IN_MS, AMBIENCE_FADE_OUT_MS, Player, slider_to_linear  # noqa: E402

# Long enough (about 25 s) for the 6 s fade-in and the 10 s fade-out not to overlap;
# rendering it with the fake voice takes a fraction of a second, and no test plays it all.
SCRIPT = """---
title: Player Test
summary: Two sentences around a long silence.
theme: test
---
# Arriving
Breathe in slowly.
[pause 20s]
# Letting go
And let the breath go.
"""

SIGNAL_TIMEOUT_MS = 5_000

# pytest-qt's capture of Qt messages is a Python message handler that it swaps in and out
# around every test; Qt's audio threads log ("No audio device detected") at any moment, and
# one logging just as the handler is removed calls a null Python callable (a segfault seen
# in about one run in three). These tests read the player's state, not Qt's messages.
pytestmark = pytest.mark.no_qt_log


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    result = render_session(
        parse_script(SCRIPT), FakeEngine(), cache_root=tmp_path_factory.mktemp("player-cache")
    )
    return result


@pytest.fixture
def player(qtbot):
    player = Player()
    yield player
    player.unload()
    player.deleteLater()


def load_paused(qtbot, player: Player, session) -> int:
    """Loads without playing and waits until Qt knows the duration (seeks are applied from then on)."""
    with qtbot.waitSignal(player.durationChanged, timeout=SIGNAL_TIMEOUT_MS):
        player.load(session.wav_path, autoplay=False)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=SIGNAL_TIMEOUT_MS)
    return player.duration()


def test_the_session_is_as_long_as_its_timeline(qtbot, player, session):
    duration = load_paused(qtbot, player, session)
    assert duration == pytest.approx(session.timeline["length"] * 1000, abs=50)
    assert duration > AMBIENCE_FADE_IN_MS + AMBIENCE_FADE_OUT_MS


def test_play_advances_the_position_and_the_end_is_reported(qtbot, player, session):
    positions: list[int] = []
    player.positionChanged.connect(positions.append)
    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda playing: playing):
        player.load(session.wav_path)
    qtbot.waitUntil(lambda: player.position() >= 300, timeout=SIGNAL_TIMEOUT_MS)
    assert player.is_playing()
    assert positions and positions == sorted(positions)  # forward only while it plays

    # The rest of the way is skipped, not waited for: the last second and a half is played.
    with qtbot.waitSignal(player.finished, timeout=SIGNAL_TIMEOUT_MS):
        player.seek(player.duration() - 1_500)
    assert not player.is_playing()
    assert max(positions) >= player.duration() - 1_500


def test_a_seek_while_loading_is_applied_once_loaded(qtbot, player, session):
    player.load(session.wav_path, autoplay=False)
    player.seek(7_000)  # Qt itself would drop this: the media is still loading
    assert player.position() == 7_000
    with qtbot.waitSignal(player.positionChanged, check_params_cb=lambda ms: ms == 7_000):
        pass
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=SIGNAL_TIMEOUT_MS)
    assert player.position() == 7_000

    # And playing goes on from there, not from the start.
    player.play()
    qtbot.waitUntil(lambda: player.position() >= 7_200, timeout=SIGNAL_TIMEOUT_MS)
    assert player.position() < 10_000


def test_the_start_position_given_to_load_is_applied_once_loaded(qtbot, player, session):
    with qtbot.waitSignal(player.positionChanged, check_params_cb=lambda ms: ms == 12_000):
        player.load(session.wav_path, start_ms=12_000, autoplay=False)
    assert player.position() == 12_000
    assert not player.is_playing()


def test_skips_move_fifteen_seconds_and_stop_at_both_ends(qtbot, player, session):
    duration = load_paused(qtbot, player, session)
    player.seek(5_000)
    player.skip(15_000)
    assert player.position() == 20_000
    player.skip(-15_000)
    assert player.position() == 5_000
    player.skip(-15_000)
    assert player.position() == 0
    player.seek(duration - 5_000)
    player.skip(15_000)
    assert player.position() == duration
    player.seek(duration + 60_000)
    assert player.position() == duration
    player.seek(-1)
    assert player.position() == 0


def test_pause_stops_the_position(qtbot, player, session):
    player.load(session.wav_path)
    qtbot.waitUntil(lambda: player.position() >= 300, timeout=SIGNAL_TIMEOUT_MS)
    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda playing: not playing):
        player.pause()
    stopped_at = player.position()
    qtbot.wait(600)  # a player that kept going would have moved about 600 ms by now
    assert player.position() == stopped_at
    assert not player.is_playing()

    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda playing: playing):
        player.toggle()
    qtbot.waitUntil(lambda: player.position() >= stopped_at + 200, timeout=SIGNAL_TIMEOUT_MS)


def test_volume_is_logarithmic_and_remembers_the_slider(player):
    # Half way on the slider is heard as about half as loud: a linear gain well below 0.5.
    assert slider_to_linear(0.5) < 0.25
    assert slider_to_linear(0.0) == pytest.approx(0.0)
    assert slider_to_linear(1.0) == pytest.approx(1.0)
    gains = [slider_to_linear(step / 10) for step in range(11)]
    assert gains == sorted(gains)

    player.set_volume(0.5)
    assert player.volume() == 0.5  # the slider's value, not the gain, so the slider shows what was set
    voice_gains = [output.volume() for output in player.findChildren(QAudioOutput)]
    assert any(math.isclose(gain, slider_to_linear(0.5), rel_tol=1e-3) for gain in voice_gains)
    player.set_volume(1.7)
    assert player.volume() == 1.0
    player.set_volume(-0.2)
    assert player.volume() == 0.0


def test_the_ambience_fades_in_at_the_start_and_out_at_the_end(qtbot, player, session):
    duration = load_paused(qtbot, player, session)
    player.set_ambience(ambience_source("rain"))
    player.set_ambience_volume(0.6)
    level = slider_to_linear(0.6)
    assert player.ambience_volume() == 0.6

    player.seek(0)
    assert player.ambience_gain() == pytest.approx(0.0, abs=1e-6)
    player.seek(AMBIENCE_FADE_IN_MS // 2)
    assert 0.0 < player.ambience_gain() < level
    player.seek(AMBIENCE_FADE_IN_MS + 500)
    assert player.ambience_gain() == pytest.approx(level, rel=1e-3)

    # The last ten seconds: falling all the way, and nearly silent at the very end.
    fading = []
    for before_end in (AMBIENCE_FADE_OUT_MS + 500, 8_000, 5_000, 2_000, 200):
        player.seek(duration - before_end)
        fading.append(player.ambience_gain())
    assert fading[0] == pytest.approx(level, rel=1e-3)
    assert fading == sorted(fading, reverse=True)
    assert fading[-1] < 0.1 * level


def test_the_ambience_rises_from_silence_as_the_session_plays(qtbot, player, session):
    player.set_ambience(ambience_source("rain"))
    player.set_ambience_volume(1.0)
    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda playing: playing):
        player.load(session.wav_path)
    assert player.ambience_gain() < 0.05
    qtbot.waitUntil(lambda: player.position() >= 1_000, timeout=SIGNAL_TIMEOUT_MS)
    rising = player.ambience_gain()
    assert 0.0 < rising < 1.0
    qtbot.waitUntil(lambda: player.position() >= 1_600, timeout=SIGNAL_TIMEOUT_MS)
    assert player.ambience_gain() > rising


def test_a_new_session_starts_its_ambience_from_silence(qtbot, player, session):
    # The previous session left the ambience at full level; the next one must fade in again,
    # not start with a burst of rain before its first position update.
    duration = load_paused(qtbot, player, session)
    player.set_ambience(ambience_source("rain"))
    player.set_ambience_volume(1.0)
    player.seek(duration // 2)
    assert player.ambience_gain() == pytest.approx(1.0, rel=1e-3)
    player.load(session.wav_path)
    assert player.ambience_gain() == pytest.approx(0.0, abs=1e-6)
    player.load(session.wav_path, start_ms=AMBIENCE_FADE_IN_MS // 2)
    assert 0.0 < player.ambience_gain() < 1.0


def test_unloading_forgets_a_seek_that_was_waiting(qtbot, player, session):
    player.load(session.wav_path, start_ms=9_000, autoplay=False)
    assert player.position() == 9_000
    player.unload()
    assert not player.has_media()
    assert player.position() == 0
