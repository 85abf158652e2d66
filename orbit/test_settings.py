"""Test settings: the real settings with fast hashing, in-memory mail and tasks run in-process.

Tests that need a real worker start `qcluster` themselves against the test database.
"""

from orbit.settings import *
from orbit.settings import Q_CLUSTER, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["orbit.renderers.JSONRenderer"]}
LOG_LEVEL = "WARNING"
LOGGING["root"]["level"] = "WARNING"
