"""The exported file formats: how ffmpeg encodes each, and where tags and chapters go.

Tags and chapters that `ffprobe` and common players read:
- MP3: ID3v2.3 frames (the version every player reads) with CHAP frames for chapters;
  VBR (LAME -V4) keeps the loudness (CBR at 22 kHz took 0.4 LU off) and the size small.
- Opus: Vorbis comments in the Ogg stream, chapters as CHAPTERnnn comments written by
  Kindred (ffmpeg 5.1 writes a chapter at 0.5 s as 1.5 s: it rounds the seconds). libopus takes
  48 kHz, not the session's 22.05 kHz. Complexity 6: above it libopus took 4x as long here
  for no difference one hears in a voice at 48 kbit/s.
- FLAC: Vorbis comments; chapters as CHAPTERnnn comments written by Kindred (ffmpeg 5
  writes none from chapter metadata in FLAC).
- WAV: RIFF INFO tags, written by Kindred with the samples (no ffmpeg needed); no chapters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.render.captions import timestamp
from app.render.pcm import wav_header
from app.render.sidecar import Chapter


@dataclass(frozen=True)
class FormatSpec:
    name: str
    label: str
    encoder: str | None  # None: Kindred writes the file itself
    options: tuple[str, ...]  # ffmpeg's output options for the encoder and muxer
    muxer: str
    chapters: str  # "chapters" (ffmpeg's own), "comments" (Vorbis CHAPTERnnn) or "none"
    lossy: bool


SPECS = {
    "mp3": FormatSpec(
        "mp3",
        "MP3",
        "libmp3lame",
        ("-c:a", "libmp3lame", "-q:a", "4", "-id3v2_version", "3"),
        "mp3",
        "chapters",
        True,
    ),
    "opus": FormatSpec(
        "opus",
        "Opus",
        "libopus",
        ("-c:a", "libopus", "-b:a", "48k", "-compression_level", "6", "-ar", "48000"),
        "opus",
        "comments",
        True,
    ),
    "flac": FormatSpec("flac", "FLAC", "flac", ("-c:a", "flac"), "flac", "comments", False),
    "wav": FormatSpec("wav", "WAV", None, ("-c:a", "pcm_s16le"), "wav", "none", False),
}


def tag_items(tags: dict[str, str], sections: Sequence[Chapter], chapters: str) -> dict[str, str]:
    """The tags to write, with the chapters as Vorbis comments where the format takes them that way."""
    items = dict(tags)
    if chapters == "comments":
        for number, (section, start) in enumerate(zip(sections, chapter_starts(sections), strict=True), 1):
            items[f"CHAPTER{number:03d}"] = timestamp(round(start * 1000), ".")
            items[f"CHAPTER{number:03d}NAME"] = chapter_title(section)
    return items


def chapter_starts(sections: Sequence[Chapter]) -> list[float]:
    """Where each chapter begins: the sections' starts, the first from the very beginning.

    The first section's speech starts after the lead-in; the player counts that moment of
    silence as part of it, and players show a gap before the first chapter as an untitled one.
    """
    return [0.0 if index == 0 else float(section.start) for index, section in enumerate(sections)]


def chapter_title(section: Chapter) -> str:
    return section.title or "Beginning"  # as the player names a section without a heading


def _escape(text: str) -> str:
    for special in ("\\", "=", ";", "#", "\n"):
        text = text.replace(special, "\\" + special)
    return text


def ffmetadata(tags: dict[str, str], sections: Sequence[Chapter], length: float) -> str:
    """ffmpeg's metadata file: global tags, then one [CHAPTER] per section (ends at the next one)."""
    lines = [";FFMETADATA1"]
    lines += [f"{_escape(key)}={_escape(value)}" for key, value in tags.items()]
    starts = [round(start * 1000) for start in chapter_starts(sections)]
    ends = [*starts[1:], round(length * 1000)]
    for section, start, end in zip(sections, starts, ends, strict=True):
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={max(start, end)}"]
        lines.append(f"title={_escape(chapter_title(section))}")
    return "\n".join(lines) + "\n"


def encode_command(
    program: str,
    spec: FormatSpec,
    tags: dict[str, str],
    output: str,
    source: str | None,
    metadata: str | None,
) -> list[str]:
    """ffmpeg encoding `source` (a WAV file), or the WAV stream on its standard input when None,
    tagged with `tags`, or from the ffmetadata file `metadata` (tags and chapters) when given;
    its progress goes to standard output.

    A second input (the metadata file) costs ffmpeg 5 a thread handing packets between them:
    6-12% more time. Only MP3 needs it, for its chapters; the others take tags as options.
    """
    command = [program, "-hide_banner", "-nostdin", "-v", "error"]
    if source is not None:
        command += ["-i", source]
    else:
        # A WAV stream rather than raw PCM: ffmpeg's WAV reader makes packets twice the size
        # of its raw reader's, fewer to hand between threads. With a second input, the queue
        # between them must not run dry: at its default of 8 packets ffmpeg naps 10 ms each
        # time it is empty (15 s instead of 1 for 30 minutes of FLAC).
        queue = ["-thread_queue_size", "4096"] if metadata is not None else []
        command += [*queue, "-f", "wav", "-i", "pipe:0"]
    if metadata is not None:
        command += [
            "-f",
            "ffmetadata",
            "-i",
            metadata,
            "-map",
            "0:a",
            "-map_metadata",
            "1",
            "-map_chapters",
            "1",
        ]
    else:
        command += ["-map", "0:a", "-map_metadata", "-1", "-map_chapters", "-1"]
        for key, value in tags.items():
            command += ["-metadata", f"{key}={value}"]
    command += [*spec.options, "-progress", "pipe:1", "-stats_period", "0.2", "-f", spec.muxer, "-y", output]
    return command


#: RIFF INFO chunk ids ffprobe and players read as these tags.
RIFF_INFO = {"title": b"INAM", "artist": b"IART", "album": b"IPRD", "genre": b"IGNR", "comment": b"ICMT"}
RIFF_INFO["date"] = b"ICRD"


def wav_header_with_tags(frame_count: int, rate: int, tags: dict[str, str]) -> bytes:
    """A mono 16-bit WAV header with a LIST/INFO chunk of tags (UTF-8, as ffmpeg writes them)."""
    info = b"INFO"
    for key, chunk_id in RIFF_INFO.items():
        if tags.get(key):
            value = tags[key].encode("utf-8") + b"\0"
            info += chunk_id + len(value).to_bytes(4, "little") + value + (b"\0" if len(value) % 2 else b"")
    return wav_header(frame_count, rate, b"LIST" + len(info).to_bytes(4, "little") + info)
