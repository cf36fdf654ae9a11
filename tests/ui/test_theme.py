"""Both looks come from one stylesheet: every placeholder filled, every image it names present."""

import re
from pathlib import Path

import pytest

from app.ui.theme import stylesheet


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_placeholder_is_filled_and_every_image_exists(scheme):
    text = stylesheet(scheme)
    assert re.findall(r"@[A-Z_]+@", text) == []
    images = re.findall(r"url\(([^)]+)\)", text)
    assert any(Path(image).name == f"check-{scheme}.svg" for image in images)
    assert all(Path(image).is_file() for image in images), images
