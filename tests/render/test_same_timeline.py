"""The same input gives the same timeline (issue 14, item 12).

The neural voice never says a sentence twice with quite the same length (its noise is drawn
anew each time). Two Kindreds rendering the same script at once both spoke every sentence, the
later clip replaced the earlier, and the two sessions (planned from different clips) differed
in caption times by up to 9 ms; one could even be planned from one clip and assembled from the
other. Now the first clip in the cache stays and both sessions are planned and heard with it.
"""

import threading
from pathlib import Path

import numpy as np

from app.files import place_if_absent
from app.render import render_session
from app.render.levels import pcm_samples
from app.script import parse_script
from app.tts import FakeEngine
from app.tts.engine import SpeechRequest

SCRIPT = parse_script(
    """---
title: Same Timeline
summary: A few sentences, spoken twice at once.
theme: test
durations: [1m]
---
# Arriving
Let your body settle into the chair beneath you.
[pause 4s+]
Notice where you are holding on, and let it soften.
[pause 4s+]
# Returning
When you are ready, let your eyes open.
[pause 3s+]
"""
)


class NoisyVoice(FakeEngine):
    """Says each sentence a little longer or shorter every time, as the neural voice does."""

    def __init__(
        self, seed: int, before_speaking: threading.Event | None = None, go: threading.Event | None = None
    ):
        super().__init__()
        self.random = np.random.default_rng(seed)
        self.before_speaking, self.go = before_speaking, go

    def synthesize(self, requests, on_done=None, should_cancel=None):
        if self.before_speaking is not None:
            self.before_speaking.set()  # it has found every sentence missing from the cache
            assert self.go.wait(30)
        varied = [
            SpeechRequest(
                r.text, r.out_path, r.voice, int(r.rate * self.random.uniform(0.9, 1.1)), r.postprocess
            )
            for r in requests
        ]
        super().synthesize(varied, on_done, should_cancel)


def test_two_renders_of_one_script_at_once_give_the_same_timeline_and_sound(tmp_path):
    waiting, first_done = threading.Event(), threading.Event()
    results = {}

    def second_render() -> None:
        results["second"] = render_session(
            SCRIPT, NoisyVoice(2, waiting, first_done), length=60, cache_root=tmp_path
        )

    second = threading.Thread(target=second_render)
    second.start()
    assert waiting.wait(30)  # the second found nothing in the cache, and speaks after the first
    first = render_session(SCRIPT, NoisyVoice(1), length=60, cache_root=tmp_path)
    first_sound = pcm_samples(first.wav_path)[0].copy()
    first_done.set()
    second.join(30)

    later = results["second"]
    assert later.timeline.cues == first.timeline.cues
    assert later.timeline.sections == first.timeline.sections
    assert np.array_equal(pcm_samples(later.wav_path)[0], first_sound)


def test_a_clip_already_in_place_is_kept_and_the_new_one_discarded(tmp_path):
    target = tmp_path / "cache" / "ab" / "clip.wav"
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    first.write_bytes(b"first")
    second.write_bytes(b"second")
    assert place_if_absent(first, target) is True
    assert place_if_absent(second, target) is False
    assert target.read_bytes() == b"first"
    assert not first.exists() and not second.exists()


def test_a_clip_from_another_disk_is_copied_in_whole(tmp_path, monkeypatch):
    """The temporary folder is often a RAM disk: the clip is copied beside its place first."""
    import os

    real_stat = os.stat
    source = tmp_path / "tmpfs" / "raw.wav"
    source.parent.mkdir()
    source.write_bytes(b"spoken" * 1000)

    def other_device(path, *args, **kwargs):
        result = real_stat(path, *args, **kwargs)
        if Path(path) == source:
            return os.stat_result((result.st_mode, result.st_ino, result.st_dev + 1, *tuple(result)[3:]))
        return result

    monkeypatch.setattr(os, "stat", other_device)
    target = tmp_path / "cache" / "ab" / "clip.wav"
    assert place_if_absent(source, target)
    assert target.read_bytes() == b"spoken" * 1000
    assert sorted(p.name for p in target.parent.iterdir()) == ["clip.wav"]  # no partial copy left
    assert not source.exists()
