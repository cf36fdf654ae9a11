"""The D-Bus face of Kindred's media controls: MPRIS's two interfaces, name for name.

Each adaptor only translates the specification's method and property names to MediaControls
(app.ui.services.mpris), which does the work. They are QDBusAbstractAdaptors so that Qt's own
meta-object code marshals them, with C++ types declared where D-Bus needs them: PySide turns a
Python int into a 32-bit integer, and only "qlonglong" gives the 64-bit Position, Seek offsets
and Seeked signal the specification asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import ClassInfo, Property, Signal, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusObjectPath

from app import paths

if TYPE_CHECKING:
    from app.ui.services.mpris import MediaControls

ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"

#: C++ type names, which PySide takes wherever a type is asked for (its stubs name only Python types).
QLONGLONG: Any = "qlonglong"
QSTRING_LIST: Any = "QStringList"
QVARIANT_MAP: Any = "QVariantMap"

_Adaptor = TypeVar("_Adaptor", bound=type)
#: ClassInfo as PySide has it: a class decorator taking a dict (its stubs say otherwise).
_class_info = cast(Callable[[dict[str, str]], Callable[[_Adaptor], _Adaptor]], ClassInfo)


@_class_info({"D-Bus Interface": ROOT_INTERFACE})
class RootAdaptor(QDBusAbstractAdaptor):
    """org.mpris.MediaPlayer2: who Kindred is, and bringing its window forward."""

    def __init__(self, controls: MediaControls):
        super().__init__(controls)
        self.controls = controls

    @Slot()
    def Raise(self) -> None:  # noqa: N802 (the D-Bus method's name)
        self.controls.raise_window()

    @Slot()
    def Quit(self) -> None:  # noqa: N802
        self.controls.quit()

    CanQuit = Property(bool, lambda self: True)
    CanRaise = Property(bool, lambda self: True)
    HasTrackList = Property(bool, lambda self: False)
    Identity = Property(str, lambda self: "Kindred")
    DesktopEntry = Property(str, lambda self: paths.APP_ID)
    # Kindred plays its own sessions; it opens no files or addresses for others.
    SupportedUriSchemes = Property(QSTRING_LIST, lambda self: [])
    SupportedMimeTypes = Property(QSTRING_LIST, lambda self: [])


@_class_info({"D-Bus Interface": PLAYER_INTERFACE})
class PlayerAdaptor(QDBusAbstractAdaptor):
    """org.mpris.MediaPlayer2.Player: play, pause, chapters, seeking, and what is playing."""

    Seeked = Signal(QLONGLONG)

    def __init__(self, controls: MediaControls):
        super().__init__(controls)
        self.controls = controls
        self.setAutoRelaySignals(True)

    @Slot()
    def Next(self) -> None:  # noqa: N802 (the D-Bus method's name)
        self.controls.next_chapter()

    @Slot()
    def Previous(self) -> None:  # noqa: N802
        self.controls.previous_chapter()

    @Slot()
    def Pause(self) -> None:  # noqa: N802
        self.controls.pause()

    @Slot()
    def PlayPause(self) -> None:  # noqa: N802
        self.controls.play_pause()

    @Slot()
    def Stop(self) -> None:  # noqa: N802
        self.controls.stop()

    @Slot()
    def Play(self) -> None:  # noqa: N802
        self.controls.play()

    @Slot(QLONGLONG)
    def Seek(self, offset: int) -> None:  # noqa: N802
        self.controls.seek_by(offset)

    @Slot(QDBusObjectPath, QLONGLONG)
    def SetPosition(self, track_id: QDBusObjectPath, position: int) -> None:  # noqa: N802
        self.controls.set_position(track_id.path(), position)

    @Slot(str)
    def OpenUri(self, uri: str) -> None:  # noqa: N802
        """Required by the interface; no scheme is supported (SupportedUriSchemes is empty)."""

    def _set_volume(self, volume: float) -> None:
        self.controls.set_volume(volume)

    def _ignore_rate(self, rate: float) -> None:
        """Sessions play at their own pace: MinimumRate and MaximumRate are both 1."""

    PlaybackStatus = Property(str, lambda self: self.controls.playback_status())
    Rate = Property(float, lambda self: 1.0, _ignore_rate)
    Metadata = Property(QVARIANT_MAP, lambda self: self.controls.metadata())
    Volume = Property(float, lambda self: self.controls.volume(), _set_volume)
    Position = Property(QLONGLONG, lambda self: self.controls.position_us())
    MinimumRate = Property(float, lambda self: 1.0)
    MaximumRate = Property(float, lambda self: 1.0)
    CanGoNext = Property(bool, lambda self: self.controls.can_go_next())
    CanGoPrevious = Property(bool, lambda self: self.controls.can_go_previous())
    CanPlay = Property(bool, lambda self: self.controls.can_play())
    CanPause = Property(bool, lambda self: self.controls.can_play())
    CanSeek = Property(bool, lambda self: self.controls.can_seek())
    CanControl = Property(bool, lambda self: True)
