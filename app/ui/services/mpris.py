"""The desktop's media controls: media keys, the panel's player widget, `playerctl` (MPRIS 2.2).

Kindred publishes `org.mpris.MediaPlayer2` and `org.mpris.MediaPlayer2.Player` on the session
bus. The session playing is the one track; its chapters are what Next and Previous move between.
Without a session bus nothing is published and nothing is said but a debug line.

The interfaces' D-Bus names are in `mpris_adaptors`, which declares the 64-bit types the
specification asks for. Inside the Metadata map no type can be declared: `mpris:length` is
written as a 64-bit integer by `dbus_int64`. The player screen is known only by what is asked
of it (PlayerScreen): a service never reaches up into a page.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QMetaType, QObject, QTimer, QUrl, SignalInstance
from PySide6.QtDBus import QDBusArgument, QDBusConnection, QDBusMessage, QDBusObjectPath
from PySide6.QtWidgets import QWidget

from app import paths
from app.render.sidecar import Chapter, Sidecar
from app.ui.services.dbus_int64 import int64_argument
from app.ui.services.mpris_adaptors import PLAYER_INTERFACE, PlayerAdaptor, RootAdaptor
from app.ui.services.stream_player import StreamPlayer

log = logging.getLogger(__name__)

SERVICE = "org.mpris.MediaPlayer2.kindred"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
#: The specification's track id for "nothing is loaded".
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
#: Track ids must be object paths outside /org/mpris; Kindred's own name gives a unique prefix.
TRACK_PREFIX = "/" + paths.APP_ID.replace(".", "/") + "/session/"
#: A position this far from where playing would have taken it was moved: the desktop hears Seeked.
SEEK_TOLERANCE_MS = 1000


class NowPlaying(Protocol):
    """The session on the player screen: the one track the desktop sees."""

    @property
    def title(self) -> str: ...

    @property
    def timeline(self) -> Sidecar | None: ...


class PlayerScreen(Protocol):
    """What the media controls ask of the window's player screen (app.ui.pages.player's PlayerView)."""

    @property
    def sessionStarted(self) -> SignalInstance: ...  # noqa: N802 (the Qt signal's name)

    @property
    def now(self) -> NowPlaying | None: ...

    def current_section(self) -> int: ...

    def set_volume(self, volume: float) -> None: ...


class MediaControls(QObject):
    """The object published at /org/mpris/MediaPlayer2: what the desktop sees and asks, in one place.

    The two adaptors (mpris_adaptors) only translate D-Bus names to these methods.
    """

    def __init__(
        self,
        window: QWidget,
        player: StreamPlayer,
        view: PlayerScreen,
        quit_app: Callable[[], None],
        bus: QDBusConnection,
    ):
        super().__init__(window)
        self.window = window
        self.player = player
        self.view = view
        self.bus = bus
        self.service: str | None = None
        self._quit_app = quit_app
        self._stopped = False
        self._tracks = 0
        self._track_of: object = None  # the PlayerView's NowPlaying the current track id belongs to
        self._section = -1
        self._last_position = 0
        self._last_tick = time.monotonic()
        self._seek_announced = False
        self._announced: dict[str, object] = {}
        self.root_adaptor = RootAdaptor(self)
        self.player_adaptor = PlayerAdaptor(self)

        player.playingChanged.connect(self._on_playing)
        player.durationChanged.connect(lambda _duration: self._announce())
        player.timelineChanged.connect(lambda _timeline: self._announce())
        player.finished.connect(self._on_finished)
        player.positionChanged.connect(self._on_position)
        view.sessionStarted.connect(lambda _title: self._on_session_started())
        self._announced = self._plain_state()

    # -- what the desktop reads ---------------------------------------------------------

    def playback_status(self) -> str:
        if self.player.is_playing():
            return "Playing"
        return "Paused" if self.player.has_media() and not self._stopped else "Stopped"

    def can_play(self) -> bool:
        return self.player.has_media()

    def can_seek(self) -> bool:
        return self.player.has_media() and self.player.duration() > 0

    def can_go_next(self) -> bool:
        sections = self._sections()
        return self.player.has_media() and self.view.current_section() < len(sections) - 1

    def can_go_previous(self) -> bool:
        return self.player.has_media() and bool(self._sections()) and self.view.current_section() > 0

    def position_us(self) -> int:
        return self.player.position() * 1000

    def track_id(self) -> str:
        """The object path naming the session playing; a new one for each session opened."""
        now = self.view.now
        if now is None or not self.player.has_media():
            return NO_TRACK
        if now is not self._track_of:
            # A new session (not a new length of the same one) is a new track.
            self._track_of = now
            self._tracks += 1
        return f"{TRACK_PREFIX}{self._tracks}"

    def metadata(self) -> dict:
        """The track's metadata as D-Bus wants it (the track id an object path)."""
        plain = self._plain_metadata()
        plain["mpris:trackid"] = QDBusObjectPath(plain["mpris:trackid"])
        if "mpris:length" in plain:
            plain["mpris:length"] = int64_argument(plain["mpris:length"])
        return plain

    def volume(self) -> float:
        return self.player.volume()

    def set_volume(self, volume: float) -> None:
        self.view.set_volume(volume)  # as its slider moved: the slider and the saved setting follow

    # -- what the desktop asks ----------------------------------------------------------

    def play(self) -> None:
        self._stopped = False
        self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def play_pause(self) -> None:
        self.pause() if self.player.is_playing() else self.play()

    def stop(self) -> None:
        """The specification's Stop: the next Play starts from the beginning."""
        if not self.player.has_media():
            return
        self.player.pause()
        self._stopped = True
        self._seek_to(0)
        self._announce()

    def next_chapter(self) -> None:
        if self.can_go_next():
            self._jump_to_section(self.view.current_section() + 1)

    def previous_chapter(self) -> None:
        if self.can_go_previous():
            self._jump_to_section(self.view.current_section() - 1)

    def seek_by(self, offset_us: int) -> None:
        """Relative seek; before the start is the start, past the end ends the session (the
        specification's "as though Next was called", Next of a one-track list)."""
        if not self.can_seek():
            return
        target = self.player.position() + offset_us // 1000
        self._seek_to(min(max(0, target), self.player.duration()))

    def set_position(self, track_id: str, position_us: int) -> None:
        """Absolute seek, ignored for another (older) track or a place outside the session."""
        if not self.can_seek() or track_id != self.track_id():
            return
        if not 0 <= position_us <= self.player.duration() * 1000:
            return
        self._seek_to(position_us // 1000)

    def raise_window(self) -> None:
        # After the D-Bus reply has gone: the caller need not wait on the window system.
        QTimer.singleShot(0, self._show_window)

    def quit(self) -> None:
        # Later, too: quitting may ask about unsaved text, and the caller must not wait on that.
        QTimer.singleShot(0, self._quit_app)

    # -- following the player -----------------------------------------------------------

    def _sections(self) -> tuple[Chapter, ...]:
        now = self.view.now
        return now.timeline.sections if now is not None and now.timeline is not None else ()

    def _jump_to_section(self, index: int) -> None:
        now = self.view.now
        if now is not None and now.timeline is not None:
            self._seek_to(now.timeline.section_start_ms(index))

    def _seek_to(self, position_ms: int) -> None:
        self._seek_announced = False
        self.player.seek(position_ms)
        if not self._seek_announced:  # a move too small for the jump detector still is a seek
            self._announce_seek(self.player.position())

    def _on_position(self, position: int) -> None:
        """Seeks from anywhere (the window's slider, chapters, keys, a new length) are seen here."""
        now = time.monotonic()
        expected = self._last_position
        if self.player.is_playing():
            expected += round((now - self._last_tick) * 1000)
        self._last_position, self._last_tick = position, now
        if abs(position - expected) > SEEK_TOLERANCE_MS:
            self._announce_seek(position)
        section = self.view.current_section()
        if section != self._section:
            self._section = section
            self._announce()

    def _announce_seek(self, position_ms: int) -> None:
        self._seek_announced = True
        self._last_position, self._last_tick = position_ms, time.monotonic()
        self.player_adaptor.Seeked.emit(position_ms * 1000)

    def _on_playing(self, playing: bool) -> None:
        if playing:
            self._stopped = False
        self._last_tick = time.monotonic()
        self._announce()

    def _on_finished(self) -> None:
        self._stopped = True
        self._announce()

    def _on_session_started(self) -> None:
        self._stopped = False
        self._last_position, self._last_tick = self.player.position(), time.monotonic()
        self._announce()

    def _show_window(self) -> None:
        bring_to_front = getattr(self.window, "bring_to_front", None)
        if bring_to_front is not None:
            bring_to_front()  # the main window's own way back from the tray or the taskbar
            return
        self.window.show()
        self.window.raise_()

    # -- PropertiesChanged --------------------------------------------------------------

    def _plain_metadata(self) -> dict:
        track = self.track_id()
        now = self.view.now
        if track == NO_TRACK or now is None:
            return {"mpris:trackid": NO_TRACK}
        metadata: dict = {
            "mpris:trackid": track,
            "xesam:title": now.title,
            "xesam:artist": ["Kindred"],
            "mpris:length": self.player.duration() * 1000,
            "mpris:artUrl": QUrl.fromLocalFile(str(paths.app_icon_path())).toString(),
        }
        sections = self._sections()
        if sections:
            # The chapter as the "album": the part of the whole being heard, shown under the title.
            section = sections[min(self.view.current_section(), len(sections) - 1)]
            metadata["xesam:album"] = section.title or "Beginning"
        return metadata

    def _plain_state(self) -> dict[str, object]:
        """The properties whose changes are announced (never Position: clients extrapolate it)."""
        return {
            "PlaybackStatus": self.playback_status(),
            "Metadata": self._plain_metadata(),
            "CanGoNext": self.can_go_next(),
            "CanGoPrevious": self.can_go_previous(),
            "CanPlay": self.can_play(),
            "CanPause": self.can_play(),
            "CanSeek": self.can_seek(),
        }

    def _announce(self) -> None:
        """Sends PropertiesChanged with what differs from what the desktop was last told."""
        state = self._plain_state()
        changed = {name: value for name, value in state.items() if self._announced.get(name) != value}
        self._announced = state
        if not changed or self.service is None:
            return
        if "Metadata" in changed:
            changed["Metadata"] = self.metadata()
        message = QDBusMessage.createSignal(OBJECT_PATH, PROPERTIES_INTERFACE, "PropertiesChanged")
        message.setArguments([PLAYER_INTERFACE, changed, _empty_string_array()])
        self.bus.send(message)


def _empty_string_array() -> QDBusArgument:
    """`as` with nothing in it: an empty Python list would go out as `av`."""
    argument = QDBusArgument()
    argument.beginArray(QMetaType(QMetaType.Type.QString))
    argument.endArray()
    return argument


def publish_media_controls(
    window: QWidget, player: StreamPlayer, view: PlayerScreen, quit_app: Callable[[], None]
) -> MediaControls | None:
    """Publishes Kindred's player on the session bus; None where there is no bus or it refuses."""
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        log.debug("No session bus, so no media controls: %s", bus.lastError().message())
        return None
    controls = MediaControls(window, player, view, quit_app, bus)
    if not bus.registerObject(OBJECT_PATH, controls, QDBusConnection.RegisterOption.ExportAdaptors):
        log.debug("The media controls' object path is taken in this process: %s", bus.lastError().message())
        controls.deleteLater()
        return None
    # A second Kindred (another user's home, a test) takes the specification's per-process name.
    for name in (SERVICE, f"{SERVICE}.instance{os.getpid()}"):
        if bus.registerService(name):
            controls.service = name
            return controls
    log.debug("No MPRIS bus name could be had: %s", bus.lastError().message())
    bus.unregisterObject(OBJECT_PATH)
    controls.deleteLater()
    return None
