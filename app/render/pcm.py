"""Reading and writing 16-bit mono PCM WAV files, the one sample format inside a render."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import BinaryIO

import numpy as np

#: Every clip, bell and session is 16-bit mono at this rate: espeak-ng's own output rate,
#: so the common case needs no resampling and a 30-minute session stays under 80 MB.
SESSION_RATE = 22050
SAMPLE_WIDTH = 2
FULL_SCALE = 32767.0


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Samples as float32 in [-1, 1] (channels averaged) and the file's rate."""
    with wave.open(str(path), "rb") as reader:
        channels = reader.getnchannels()
        width = reader.getsampwidth()
        rate = reader.getframerate()
        raw = reader.readframes(reader.getnframes())
    if width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    else:
        raise ValueError(f"{path}: unsupported sample width of {width} bytes")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples, rate


def to_session_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == SESSION_RATE:
        return samples
    # Only voices other than espeak-ng need this; scipy.signal takes a second to import.
    from scipy.signal import resample_poly

    divisor = np.gcd(rate, SESSION_RATE)
    return resample_poly(samples, SESSION_RATE // divisor, rate // divisor).astype(np.float32)


def to_int16_bytes(samples: np.ndarray) -> bytes:
    scaled = samples * np.float32(FULL_SCALE)
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype("<i2").tobytes()


def write_wav(handle: BinaryIO | Path, samples: np.ndarray, rate: int = SESSION_RATE) -> None:
    with wave.open(handle if not isinstance(handle, Path) else str(handle), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(rate)
        writer.writeframes(to_int16_bytes(samples))


def wav_header(frame_count: int, rate: int = SESSION_RATE, chunks: bytes = b"") -> bytes:
    """The header of a mono 16-bit WAV whose length is known before its samples exist: 44 bytes,
    plus any further `chunks` (whole RIFF chunks) placed between the format and the data."""
    data_bytes = frame_count * SAMPLE_WIDTH
    byte_rate = rate * SAMPLE_WIDTH
    return b"".join(
        [
            b"RIFF",
            (36 + len(chunks) + data_bytes).to_bytes(4, "little"),
            b"WAVEfmt ",
            (16).to_bytes(4, "little"),
            (1).to_bytes(2, "little"),  # PCM
            (1).to_bytes(2, "little"),  # mono
            rate.to_bytes(4, "little"),
            byte_rate.to_bytes(4, "little"),
            SAMPLE_WIDTH.to_bytes(2, "little"),
            (8 * SAMPLE_WIDTH).to_bytes(2, "little"),
            chunks,
            b"data",
            data_bytes.to_bytes(4, "little"),
        ]
    )


def read_pcm_frames(path: Path) -> bytes:
    """The raw 16-bit frames of a session-rate mono WAV written by this package."""
    with wave.open(str(path), "rb") as reader:
        if reader.getframerate() != SESSION_RATE or reader.getnchannels() != 1 or reader.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit mono at {SESSION_RATE} Hz")
        return reader.readframes(reader.getnframes())


def frame_count(path: Path) -> int:
    with wave.open(str(path), "rb") as reader:
        return reader.getnframes()
