"""The window's voice work: warming the natural voice up at start, saying once when the system
voice has to stand in, and what Settings asks of voices: a preview, adding, removing, undoing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from app import paths, settings
from app.errors import KindredError
from app.history import Store
from app.render.streaming import StreamingSession
from app.settings import Settings
from app.tts import SpeechEngine, Voice, neural_voices
from app.tts.piper_voices import PiperVoiceFile, user_voices
from app.tts.voice_import import TrashedVoice, import_voice, remove_voice, restore_voice
from app.ui.dialogs.settings import SettingsDialog
from app.ui.pages.write.page import paragraph_script
from app.ui.services.pool_task import CallTask
from app.ui.services.stream_player import StreamPlayer

PREVIEW_TEXT = "Hello. This is how I sound. Let us take a slow breath together."
#: The reason the system voice speaks that the listener was last told (they are told once per reason).

ShowProblem = Callable[[str, str], None]


def own_voice_ids() -> set[str]:
    """The voices the listener added, the only ones Settings can remove."""
    return {voice.id for voice in user_voices()}


class WindowVoices(QObject):
    """`show_problem(title, explanation)` tells the listener what went wrong, in the window."""

    def __init__(
        self,
        engine: SpeechEngine,
        store: Store,
        player: StreamPlayer,
        preview_player: StreamPlayer,
        show_problem: ShowProblem,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.store = store
        self.player = player
        self.preview_player = preview_player
        self.show_problem = show_problem
        self._removed_voice: TrashedVoice | None = None
        # Kept while they run: a task's signals die with it.
        self._voice_task: CallTask | None = None
        self._warm_task: CallTask | None = None

    # -- at start -------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Start the natural voice as the window opens, so the first Play does not wait ~1 s for
        its model; then say once if the system voice has to speak instead."""
        warm_up = getattr(self.engine, "warm_up", None)
        if warm_up is None:
            return
        self._warm_task = CallTask(warm_up, "The voice could not start")
        self._warm_task.finished.connect(lambda _result: self._tell_fallback())
        self._warm_task.failed.connect(lambda _title, _text: self._tell_fallback())
        self._warm_task.start()

    def _tell_fallback(self) -> None:
        reason = getattr(self.engine, "fallback_reason", None)
        if not reason or Settings(self.store).get(settings.VOICE_FALLBACK_TOLD) == reason:
            return
        Settings(self.store).set(settings.VOICE_FALLBACK_TOLD, reason)
        self.show_problem(
            "The natural voice is not available",
            f"{reason} Until it is, the computer's own voice (eSpeak NG) speaks the meditations; "
            "`kindred doctor` says how to fix this.",
        )

    # -- for Settings -----------------------------------------------------------------------

    def offered(self) -> tuple[list[Voice], str]:
        """The voices and the default one; none (and the problem shown) when the voice is missing."""
        try:
            return self.engine.voices(), self.engine.default_voice()
        except Exception as error:  # the voice may be missing: settings still open
            self.show_problem("No voice is available", getattr(error, "explanation", str(error)))
            return [], ""

    def serve(self, dialog: SettingsDialog) -> None:
        """Answers what `dialog` asks of the voices while it is open."""
        dialog.previewRequested.connect(self.preview)
        dialog.addVoiceRequested.connect(lambda path: self.add(dialog, path))
        dialog.removeVoiceRequested.connect(lambda voice: self.remove(dialog, voice))
        dialog.undoRemoveRequested.connect(lambda: self.undo_remove(dialog))

    def preview(self, voice: str, rate: int) -> None:
        script = paragraph_script("Voice preview", "A sample of the voice.", PREVIEW_TEXT)
        try:
            session = StreamingSession(
                script, self.engine, length=None, voice=voice, rate=rate, cache_root=paths.cache_dir()
            )
        except KindredError as error:
            self.show_problem(error.title, error.explanation)
            return
        self.player.pause()
        self.preview_player.load(session)

    def add(self, dialog: SettingsDialog, path: str) -> None:
        """Checks the voice on a pool thread (it is loaded and tried) before it is added."""
        dialog.set_voice_busy(True)
        dialog.show_voice_note("Checking the voice: it is loaded and tried before it is added…")
        task = CallTask(lambda: import_voice(Path(path)), "Could not add the voice")

        def added(voice: PiperVoiceFile) -> None:
            dialog.set_voice_busy(False)
            self._refresh(dialog, select=voice.id)
            dialog.show_voice_note(f"Added {voice.name}. Press “Hear it” to listen.")

        def failed(title: str, explanation: str) -> None:
            dialog.set_voice_busy(False)
            dialog.show_voice_note(f"{title}: {explanation}", error=True)

        task.finished.connect(added)
        task.failed.connect(failed)
        self._voice_task = task
        task.start()

    def remove(self, dialog: SettingsDialog, voice_id: str) -> None:
        try:
            self._removed_voice = remove_voice(voice_id)
        except (KindredError, OSError) as error:
            dialog.show_voice_note(getattr(error, "explanation", str(error)), error=True)
            return
        if Settings(self.store).get(settings.VOICE) == voice_id:
            Settings(self.store).set(settings.VOICE, None)
        self._refresh(dialog)
        dialog.show_voice_note(f"Removed {self._removed_voice.voice.name}.", undo=True)

    def undo_remove(self, dialog: SettingsDialog) -> None:
        if self._removed_voice is None:
            return
        try:
            voice = restore_voice(self._removed_voice)
        except OSError as error:
            dialog.show_voice_note(f"The voice could not be brought back ({error.strerror}).", error=True)
            return
        self._removed_voice = None
        self._refresh(dialog, select=voice.id)
        dialog.show_voice_note(f"{voice.name} is back.")

    def _refresh(self, dialog: SettingsDialog, select: str | None = None) -> None:
        """The engine looks for voices again, and the dialog lists what it found."""
        reload = getattr(self.engine, "reload_voices", None)
        if reload is not None:
            found, problem = neural_voices()
            reload(found, problem)
        dialog.set_voices(self.engine.voices(), own_voice_ids(), select)
