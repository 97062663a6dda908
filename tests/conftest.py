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

# the interrupt tests send SIGINT to pactools (this process, or a child): a shell that starts
# pytest in the background (`pytest &`) ignores SIGINT, and children inherit that; Python's
# own handler here makes both this process and (after exec) its children take it again
import signal  # noqa: E402

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
