"""Where a watched channel's settings come from: its own override, its category's, or the server's."""

from __future__ import annotations

from bot import setting_keys
from bot.enforcement.config import (
    Effective,
    EnforcementConfig,
    WatchedPlace,
    config_from_settings,
    setting_defaults,
)

CATEGORY, CHANNEL, THREAD, OTHER = 10, 20, 30, 40


def config(**overrides) -> EnforcementConfig:
    places = {
        CATEGORY: WatchedPlace(CATEGORY, "category", action="delete", dry_run=None),
        CHANNEL: WatchedPlace(CHANNEL, "channel", requirement="cw"),
    }
    return EnforcementConfig(watched=places, **overrides)


def test_each_setting_comes_from_the_nearest_place_that_overrides_it() -> None:
    effective = config(dry_run=False).settings_for(CHANNEL, None, CATEGORY)

    assert effective.requirement == Effective("cw", CHANNEL)
    assert effective.action == Effective("delete", CATEGORY)
    assert effective.dry_run == Effective(False, None)


def test_a_thread_inherits_from_its_parent_then_its_category() -> None:
    effective = config(requirement="spoiler").settings_for(THREAD, CHANNEL, CATEGORY)
    assert (effective.requirement, effective.action) == (Effective("cw", CHANNEL), Effective("delete", CATEGORY))


def test_without_overrides_the_server_setting_applies_and_an_unwatched_channel_has_none() -> None:
    plain = EnforcementConfig(watched={CHANNEL: WatchedPlace(CHANNEL, "channel")}, action="replace")
    effective = plain.settings_for(CHANNEL, None, None)
    assert (effective.requirement, effective.action, effective.dry_run) == (
        Effective(None, None), Effective("replace", None), Effective(False, None)
    )
    assert plain.settings_for(OTHER, None, None) is None


def test_the_place_a_post_is_judged_by_carries_the_same_values() -> None:
    # The message path reads place_for; the watch list reads settings_for: they must agree.
    chosen = config(action="flag", dry_run=True)
    place = chosen.place_for(CHANNEL, None, CATEGORY)
    effective = chosen.settings_for(CHANNEL, None, CATEGORY)
    assert place.place_id == CHANNEL
    assert chosen.requirement_for(place) == effective.requirement.value
    assert chosen.action_for(place) == effective.action.value
    assert chosen.dry_run_for(place) == effective.dry_run.value


def test_every_setting_has_a_default_the_history_can_show() -> None:
    # A key without one would read as a placeholder in /warden history on its first change.
    names = {value for name, value in vars(setting_keys).items() if name.isupper() and isinstance(value, str)}
    defaults = setting_defaults("either", "strict")
    assert set(defaults) == names
    assert None not in defaults.values()
    # Stored back, the defaults are the configuration a guild has before anyone sets anything.
    stored = {key: value for key, value in defaults.items() if value != "off"}
    assert config_from_settings(stored) == EnforcementConfig(requirement="either", cw_mode="strict")
