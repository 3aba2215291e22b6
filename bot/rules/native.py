"""The compiled module ``_warden_speedups`` (native/), or None where it is not installed.

It runs two things the rule engine also does in Python: the prefilter's clean-text
test (``term_dfa``) and the term index's reading of a skeleton (``index``). pip
builds it when a C compiler is at hand; without one the engine gives the same
answers, slower.
"""

from __future__ import annotations

try:
    import _warden_speedups as speedups
except ImportError:  # installed without a C compiler
    speedups = None


def native_available() -> bool:
    return speedups is not None
