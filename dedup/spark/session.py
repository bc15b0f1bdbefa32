"""pyspark is an optional extra: find it (or say how to get it), and start a local session.

Why a helper for the session: the Python workers must run the interpreter that has `dedup`
installed (Spark otherwise starts `python3` from the PATH), and a local run should stay on loopback
with no web UI.
"""

from __future__ import annotations

import os
import sys
from typing import Any

EXTRA = "spark"
INSTALL_HINT = f"pip install 'dedup[{EXTRA}]'"
JAVA_HINT = "Spark needs a Java runtime (17): apt-get install openjdk-17-jre-headless"


class SparkUnavailable(RuntimeError):
    """pyspark is not installed, or Spark could not start (no Java)."""


def require_pyspark() -> Any:
    """The pyspark module, or SparkUnavailable naming the extra to install."""
    try:
        import pyspark
        import pyspark.sql  # noqa: F401 - the part the scan uses
    except ImportError as err:
        raise SparkUnavailable(
            f"the Spark engine needs pyspark, which is not installed: {INSTALL_HINT} "
            f"(the optional extra '{EXTRA}')"
        ) from err
    return pyspark


def local_session(master: str = "local[2]", shuffle_partitions: int = 8, app_name: str = "dedup") -> Any:
    """A SparkSession for one machine: loopback only, no UI, workers on this interpreter.

    If a session is already active it is returned as it is (Spark allows one per process).
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.python.worker.reuse", "true")
    )
    try:
        spark = builder.getOrCreate()
    except Exception as err:  # noqa: BLE001 - pyspark raises several kinds when the JVM cannot start
        raise SparkUnavailable(f"Spark could not start ({type(err).__name__}: {err}). {JAVA_HINT}") from err
    spark.sparkContext.setLogLevel("ERROR")
    return spark
