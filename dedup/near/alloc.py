"""Keep freed memory in the process (glibc only) for a long batch run.

A scan allocates and frees numpy arrays of a few MB per batch. glibc returns such blocks to the
kernel right away (mmap threshold, heap trimming), so every batch page-faults them in again: about
a fifth of a scan's CPU time went to the kernel. Raising the thresholds keeps them. Process-wide,
so only front ends that own the process (the CLI, the benchmark) call it; the library never does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_KEEP = 32 * 1024 * 1024  # glibc's largest allowed mmap threshold on 64-bit


def keep_freed_memory() -> bool:
    """True if glibc accepted the settings; False elsewhere (no harm done)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok_mmap = mallopt(_M_MMAP_THRESHOLD, _KEEP)
    ok_trim = mallopt(_M_TRIM_THRESHOLD, 4 * _KEEP)
    return bool(ok_mmap and ok_trim)
