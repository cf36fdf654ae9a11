"""The session's voice and bells as a track read a block at a time, straight from the timeline.

What assemble_session writes to a WAV, without the WAV: a streaming player reads the blocks it
is about to play while later sentences are still being spoken by the voice (a block that
reaches one of those raises NotReady). The samples are the very ones the assembled file holds
(the same clips, cut or padded to the planned frames, silence everywhere else).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import numpy as np

from app.render.mix import Background, session_block
from app.render.pcm import to_int16_bytes
from app.render.timeline import Timeline

#: A clip as 16-bit samples at the session rate, or None while the voice has not spoken it yet.
ClipSource = Callable[[str], "np.ndarray | None"]


class NotReady(Exception):
    """A block reaches a sentence the voice has not spoken yet."""

    def __init__(self, frame: int, text: str):
        super().__init__(f"not yet spoken at frame {frame}: {text!r}")
        self.frame = frame
        self.text = text


class VoiceTrack:
    def __init__(self, timeline: Timeline, speech: ClipSource, bell: Callable[[str | None], np.ndarray]):
        self.timeline = timeline
        self.speech = speech
        self.bell = bell
        self._sounding = [event for event in timeline.events if event.kind in ("speech", "bell")]
        self._ends = [event.end for event in self._sounding]

    def frames(self, start: int, count: int) -> np.ndarray:
        """int16 samples of frames start..start+count (past the end: silence). Raises NotReady."""
        block = np.zeros(count, dtype=np.int16)
        end = start + count
        first = bisect.bisect_right(self._ends, start)
        for event in self._sounding[first:]:
            if event.start >= end:
                break
            clip = self._clip(event)
            lo, hi = max(start, event.start), min(end, event.end)
            piece = clip[lo - event.start : hi - event.start]  # a short clip leaves silence after it
            block[lo - start : lo - start + len(piece)] = piece
        return block

    def _clip(self, event) -> np.ndarray:
        if event.kind == "bell":
            return self.bell(event.text or None)
        clip = self.speech(event.text)
        if clip is None:
            raise NotReady(event.start, event.text)
        return clip


class SessionSource:
    """The session as a listener hears it, a block at a time: the voice track with the
    background under it (app.render.mix.session_block), as 16-bit samples; None for a block
    that reaches a sentence not spoken yet. What a streaming player pulls from."""

    def __init__(self, track: VoiceTrack, background: Background | None = None):
        self.track = track
        self.background = background
        self.rate = track.timeline.rate
        self.total_frames = track.timeline.total_frames

    def read(self, start: int, frames: int) -> np.ndarray | None:
        try:
            voice = self.track.frames(start, frames)
        except NotReady:
            return None
        if self.background is None:
            return voice
        mixed = session_block(voice, start, self.total_frames, self.rate, self.background)
        return np.frombuffer(to_int16_bytes(mixed), dtype="<i2")
