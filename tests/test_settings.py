"""Typed settings: what was stored comes back; anything else gives the setting's default."""

import math

import pytest

from app import settings
from app.history import Store
from app.settings import Settings
from app.tts.engine import DEFAULT_RATE_WPM


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "kindred.sqlite3")
    yield store
    store.close()


def test_a_fresh_store_gives_every_default(store):
    values = Settings(store)
    assert values.get(settings.RATE) == DEFAULT_RATE_WPM
    assert values.get(settings.VOLUME) == 0.8
    assert values.get(settings.AMBIENCE_VOLUME) == 0.5
    assert values.get(settings.THEME) == "system"
    assert values.get(settings.VOICE) is None
    assert values.get(settings.SHOW_STREAKS) is True
    assert values.get(settings.DEFAULT_AMBIENCE) == "script"
    assert values.get(settings.CACHE_LIMIT_GB) == 2.0


def test_what_is_set_is_read_back_and_stored_under_the_old_names(store):
    values = Settings(store)
    values.set(settings.RATE, 150)
    values.set(settings.VOLUME, 0.25)
    values.set(settings.THEME, "dark")
    values.set(settings.VOICE, "piper:joe")
    values.set(settings.DEFAULT_LENGTH, 1200.0)
    values.set(settings.splitter_state("library"), "AAAA")
    assert values.get(settings.RATE) == 150
    assert values.get(settings.VOLUME) == 0.25
    assert values.get(settings.THEME) == "dark"
    assert values.get(settings.VOICE) == "piper:joe"
    assert values.get(settings.DEFAULT_LENGTH) == 1200.0
    # The keys databases already hold: an existing user's settings are read as before.
    assert store.get_setting("rate") == 150 and store.get_setting("theme") == "dark"
    assert store.get_setting("library_splitter") == "AAAA"


@pytest.mark.parametrize(
    ("setting", "stored"),
    [
        (settings.RATE, "fast"),
        (settings.RATE, True),
        (settings.RATE, 150.5),
        (settings.VOLUME, "loud"),
        (settings.VOLUME, math.nan),
        (settings.THEME, "purple"),
        (settings.THEME, 3),
        (settings.VOICE, ""),
        (settings.VOICE, ["piper:joe"]),
        (settings.SHOW_STREAKS, "yes"),
        (settings.DEFAULT_LENGTH, -5),
        (settings.DEFAULT_LENGTH, "20m"),
        (settings.CACHE_LIMIT_GB, 0.0),
        (settings.CACHE_LIMIT_GB, 1e9),
        (settings.TIMER_LENGTH, {"minutes": 20}),
    ],
)
def test_a_stored_value_of_the_wrong_kind_gives_the_default(store, setting, stored):
    store.set_setting(setting.key, stored)
    assert Settings(store).get(setting) == setting.default


def test_volumes_and_rates_beyond_either_end_are_held_at_it(store):
    values = Settings(store)
    store.set_setting("rate", 10)
    assert values.get(settings.RATE) == settings.MIN_RATE_WPM
    store.set_setting("rate", 10_000)
    assert values.get(settings.RATE) == settings.MAX_RATE_WPM
    store.set_setting("volume", 1.7)
    store.set_setting("ambience_volume", -0.2)
    assert values.get(settings.VOLUME) == 1.0
    assert values.get(settings.AMBIENCE_VOLUME) == 0.0


def test_every_setting_has_its_own_key():
    defined = [value for value in vars(settings).values() if isinstance(value, settings.Setting)]
    keys = [setting.key for setting in defined]
    assert len(defined) > 15 and len(keys) == len(set(keys))


def test_a_stored_null_is_a_choice_where_it_means_one(store):
    values = Settings(store)
    assert values.get(settings.TIMER_START_BELL) == settings.TIMER_START_BELL.default  # never chosen
    values.set(settings.TIMER_START_BELL, None)  # "no bell" chosen
    assert values.get(settings.TIMER_START_BELL) is None
    store.set_setting("rate", None)  # a null where none is meant: the default
    assert values.get(settings.RATE) == DEFAULT_RATE_WPM
