"""Settings for the test suite: production settings with test-only secrets and plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("LOG_JSON", "0")

from servicedesk.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only

# Rate-limit counters and lock-outs must not leak between tests or parallel workers: a
# per-process memory cache even when REDIS_URL is set (tests that need Redis say so).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Who is on shift depends on the wall clock; tests of other capabilities must not change
# with the hour they run at. The routing tests switch assignment on with a frozen clock.
ROUTING_AUTO_ASSIGN = False
