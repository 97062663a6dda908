import os

from hypothesis import HealthCheck, settings

# Seeded, reproducible property tests; no deadline (CI machines are shared and noisy).
settings.register_profile("pactools", derandomize=True, deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pactools"))

pytest_plugins = ["pytester"]

# the CLI keeps finished trials under the user's cache directory by default: never the
# real one from a test run
if not os.environ.get("PACTOOLS_CACHE_DIR"):
    import tempfile
    os.environ["PACTOOLS_CACHE_DIR"] = tempfile.mkdtemp(prefix="pactools-test-cache-")
