"""Captions beside an exported session: the timeline's sentences with their times, as WebVTT and SRT."""

from __future__ import annotations

from app.render.sidecar import Sidecar


def _cues(timeline: Sidecar) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) of each spoken sentence, in order, never overlapping or empty."""
    cues: list[tuple[int, int, str]] = []
    previous_end = 0
    for cue in timeline.cues:
        text = " ".join(cue.text.split())  # one line: a blank line would end the cue early
        if not text:
            continue
        start = max(previous_end, round(cue.start * 1000))
        end = max(start + 1, round(cue.end * 1000))
        cues.append((start, end, text))
        previous_end = end
    return cues


def timestamp(milliseconds: int, separator: str) -> str:
    """`3723004` -> "01:02:03.004" (with "." as the separator; SubRip takes ",")."""
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _vtt_text(text: str) -> str:
    # WebVTT reads "<" as the start of a tag and "&" as the start of an entity; "-->" would end the timing.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def captions_vtt(timeline: Sidecar) -> str:
    """WebVTT: a header, then one numbered cue per sentence."""
    blocks = ["WEBVTT"]
    for number, (start, end, text) in enumerate(_cues(timeline), 1):
        blocks.append(f"{number}\n{timestamp(start, '.')} --> {timestamp(end, '.')}\n{_vtt_text(text)}")
    return "\n\n".join(blocks) + "\n"


def captions_srt(timeline: Sidecar) -> str:
    """SubRip: numbered cues with comma-separated milliseconds."""
    blocks = [
        f"{number}\n{timestamp(start, ',')} --> {timestamp(end, ',')}\n{text}"
        for number, (start, end, text) in enumerate(_cues(timeline), 1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""
