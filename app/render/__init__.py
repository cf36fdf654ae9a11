"""From script to finished session: synthesis cache, timeline, assembly, levelling."""

from app.render.assemble import RenderCancelled
from app.render.session import RenderResult, render_session, timeline_to_dict
from app.render.timeline import LengthError, Timeline, plan_timeline, utterances_of

__all__ = [
    "LengthError",
    "RenderCancelled",
    "RenderResult",
    "Timeline",
    "plan_timeline",
    "render_session",
    "timeline_to_dict",
    "utterances_of",
]
