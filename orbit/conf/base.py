"""The environment every settings module reads from, and the values the others derive from.

An empty variable counts as unset; an unreadable value (a malformed URL, number, boolean or JSON) is collected in
`env.problems` and refused, with every other problem, by the start-up check at the end of `orbit.settings`.
"""

from pathlib import Path

from orbit import config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = config.Env()  # an empty variable counts as unset; unreadable values are collected
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

ORBIT_ENV = env.str("ORBIT_ENV", default="local")
if ORBIT_ENV not in config.ENVIRONMENTS:
    raise config.ConfigurationError([f"ORBIT_ENV must be one of {', '.join(config.ENVIRONMENTS)} (got {ORBIT_ENV!r})"])
PRODUCTION = ORBIT_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
# Where the SPA lives: mail links (verification, reset, invitations) point here.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
