"""Hypothesis runs derandomized by default, so every run (CI included) checks the same
examples and a failure replays.  ``SYMNB_HYPOTHESIS_PROFILE=explore`` draws fresh random
examples (and keeps hypothesis's example database) to look for new failures locally."""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("SYMNB_HYPOTHESIS_PROFILE", "deterministic"))
