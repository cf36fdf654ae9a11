"""Writing a planned timeline as one WAV, streamed: memory does not grow with the length."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.files import atomic_output
from app.render.pcm import SAMPLE_WIDTH, read_pcm_frames, wav_header
from app.render.timeline import Timeline

#: Silence is written in blocks of this many frames, re-using one zero buffer.
SILENCE_BLOCK = 1 << 16


class RenderCancelled(Exception):
    """The listener cancelled; nothing was left behind."""


def assemble_session(
    timeline: Timeline,
    speech_clip: Callable[[str], Path],
    bell_clip: Callable[[str | None], Path],
    out_path: Path,
    on_progress: Callable[[float], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> None:
    """Write the session to out_path atomically; a cancel or an error leaves nothing there."""
    zeros = bytes(SILENCE_BLOCK * SAMPLE_WIDTH)
    total = max(1, timeline.total_frames)

    def check_cancel() -> None:
        if should_cancel is not None and should_cancel():
            raise RenderCancelled()

    with atomic_output(out_path, stage_elsewhere=True) as handle:
        handle.write(wav_header(timeline.total_frames, timeline.rate))
        for event in timeline.events:
            check_cancel()
            if event.kind == "speech":
                _write_exact(handle, read_pcm_frames(speech_clip(event.text)), event.frames)
            elif event.kind == "bell":
                _write_exact(handle, read_pcm_frames(bell_clip(event.text or None)), event.frames)
            else:
                remaining = event.frames
                while remaining > 0:
                    count = min(remaining, SILENCE_BLOCK)
                    handle.write(zeros[: count * SAMPLE_WIDTH])
                    remaining -= count
                    if remaining:
                        check_cancel()
            if on_progress:
                on_progress(event.end / total)


def _write_exact(handle, frames: bytes, frame_total: int) -> None:
    """Write exactly frame_total frames: the plan was made from these clips' lengths."""
    wanted = frame_total * SAMPLE_WIDTH
    handle.write(frames[:wanted])
    if len(frames) < wanted:
        handle.write(bytes(wanted - len(frames)))
