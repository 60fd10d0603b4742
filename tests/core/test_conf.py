"""Plugin settings: defaults in one place, dict settings merged key by key."""

import pytest

from civic_core.conf import PluginSettings, load_adapter

DEFAULTS = {"SIZE": 12, "LIMITS": {"vote": (120, 3600), "join": (60, 600)}}


def test_a_setting_falls_back_to_its_default(settings):
    conf = PluginSettings("CIVIC_TEST_", DEFAULTS)
    assert conf.SIZE == 12
    settings.CIVIC_TEST_SIZE = 6
    assert conf.SIZE == 6


def test_overriding_one_key_of_a_dict_setting_keeps_the_others(settings):
    settings.CIVIC_TEST_LIMITS = {"vote": (10, 60)}
    assert PluginSettings("CIVIC_TEST_", DEFAULTS).LIMITS == {"vote": (10, 60), "join": (60, 600)}


def test_an_unknown_setting_is_an_error():
    with pytest.raises(AttributeError, match="CIVIC_TEST_NOPE"):
        _ = PluginSettings("CIVIC_TEST_", DEFAULTS).NOPE


def test_one_adapter_instance_per_class():
    first = load_adapter("collections.OrderedDict")
    assert load_adapter("collections.OrderedDict") is first
    assert type(load_adapter("collections.Counter")).__name__ == "Counter"
