"""Hearing what is being written: the paragraph under the cursor in the chosen voice, or the
whole session played from the cursor's section as the text is now, saved or not.

A paragraph is heard through the page's own player; a session goes to the window (the page's
playRequested), which reports the rendered figures back through the page's show_rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import paths, settings
from app.errors import KindredError
from app.render.streaming import StreamingSession
from app.script import Meta, Script, Section, Speech
from app.settings import Settings
from app.time_text import clock_tenths
from app.ui.pages.write.document_pane import the_problems

if TYPE_CHECKING:
    from app.ui.pages.write.page import EditorPage


def rendered_length_text(length: float, natural: float) -> str:
    """The exact length line of a rendered session: "Plays for 10:00.0 · shortest 7:12.4"."""
    text = f"Plays for {clock_tenths(length)}"
    if abs(natural - length) >= 0.05:
        text += f" · shortest {clock_tenths(natural)}"
    return text


def paragraph_script(title: str, summary: str, text: str) -> Script:
    """A script of one spoken paragraph: a paragraph to hear, or a sample of the voice."""
    return Script(Meta(title, summary, "preview"), (Section(None, (Speech((text,)),)),))


class Hearing:
    """ "Hear this paragraph", "Play from here", and the exact length of what plays."""

    def __init__(self, page: EditorPage):
        self.page = page
        #: What "Hear this paragraph" plays last.
        self.heard: StreamingSession | None = None
        #: The text last sent to the player, so exact lengths are shown only for that text.
        self._played_text: str | None = None

    def hear_paragraph(self) -> StreamingSession | None:
        """Speak the paragraph under the cursor with the voice and rate chosen in Settings."""
        page = self.page
        if page.path is None:
            return None
        text = page.editor.paragraph_at_cursor()
        if not text:
            page.show_message(
                "Nothing to hear here", "Put the cursor in a paragraph of spoken text, then try again."
            )
            return None
        script = paragraph_script("Hear this paragraph", "One paragraph of a script.", text)
        voice = Settings(page.store).get(settings.VOICE)
        rate = Settings(page.store).get(settings.RATE)
        try:
            session = StreamingSession(
                script, page.engine, length=None, voice=voice, rate=rate, cache_root=paths.cache_dir()
            )
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return None
        self.heard = session
        page.hearingStarted.emit()
        page.player.load(session)
        return session

    def play_from_here(self) -> bool:
        """The text as it is now (saved or not) played from the start of the cursor's section."""
        page = self.page
        if page.path is None:
            return False
        errors = page.editor.check_now()
        script = page.editor.current_script()
        if script is None:
            count = len(errors)
            page.show_message(
                "Fix the problems first",
                f"Kindred can play the script once {the_problems(count)} below the text "
                f"{'are' if count != 1 else 'is'} fixed.",
            )
            return False
        page.hide_message()
        self._played_text = page.editor.text()
        page.playRequested.emit(
            page.path.stem, script, script.default_length, page.editor.section_index_at_cursor()
        )
        return True

    def plays_the_text_shown(self) -> bool:
        """Whether the session last played from here was of the text as it is now."""
        return self.page.path is not None and self._played_text == self.page.editor.text()
