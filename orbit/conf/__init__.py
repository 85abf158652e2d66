"""Orbit's settings by concern. `orbit.settings` (DJANGO_SETTINGS_MODULE) is the entry that gathers them.

`base` reads the environment and holds the values the other modules derive from (PRODUCTION, DEBUG,
FRONTEND_URL); each other module is one concern and reads only from `base` (and `queue` for the task timeout).
The start-up check (`orbit.config.validate`) runs once, at the end of `orbit.settings`, over all of them.
"""
