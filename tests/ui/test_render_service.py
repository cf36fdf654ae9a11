"""Renders on the pool thread report to the window even when they finish at once."""

from app.script import parse_script
from app.tts import FakeEngine
from app.ui.render_service import RenderRequest, RenderService

SCRIPT = parse_script("---\ntitle: Quick\nsummary: A sentence.\ntheme: test\n---\nBreathe in.\n")


def test_a_render_finished_before_anyone_listened_still_reports(qtbot):
    renders = RenderService(FakeEngine())
    task = renders.start(RenderRequest(SCRIPT, None, None, 135))
    # The render is over on its thread before anything connects to `finished` (as a cached
    # render can be, between start() returning and the caller's connect).
    assert renders.wait()
    with qtbot.waitSignal(task.finished, timeout=10_000) as finished:
        pass
    assert finished.args[0].wav_path.exists()
    assert task.done


def test_failures_arrive_the_same_way(qtbot):
    renders = RenderService(FakeEngine(fail_on="Breathe in."))
    task = renders.start(RenderRequest(SCRIPT, None, None, 135))
    assert renders.wait()
    with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
        pass
    title, explanation = failed.args
    assert title and explanation
