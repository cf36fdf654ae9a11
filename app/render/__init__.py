"""From script to finished session: synthesis cache, timeline, assembly, levelling."""

from app.render.assemble import RenderCancelled
from app.render.session import RenderResult, render_session
from app.render.sidecar import Sidecar
from app.render.timeline import LengthError, Timeline, plan_timeline, utterances_of

__all__ = [
    "LengthError",
    "RenderCancelled",
    "RenderResult",
    "Sidecar",
    "Timeline",
    "plan_timeline",
    "render_session",
    "utterances_of",
]
