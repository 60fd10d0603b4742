from tests.settings.plugin_site import settings_with_only

globals().update(settings_with_only("civic_consultation"))
