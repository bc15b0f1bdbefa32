"""pyspark is an optional extra: find it (or say how to get it), and start a local session.

Why a helper for the session: the Python workers must run the interpreter that has `dedup`
installed (Spark otherwise starts `python3` from the PATH), and a local run should stay on loopback
with no web UI.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
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


# log4j2 configuration for a quiet driver (`dedup -q`): everything at `level`; the `org.apache.spark`
# logger is named so that Spark sees a configured level and does not print "Setting default log
# level to WARN" (it does when the logger of its start-up class has no level of its own).
_LOG4J2 = """rootLogger.level = {level}
rootLogger.appenderRef.stderr.ref = console
logger.spark.name = org.apache.spark
logger.spark.level = {level}
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{{yy/MM/dd HH:mm:ss}} %p %c{{1}}: %m%n%ex
"""
LOG_LEVELS = ("ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF")


def local_session(
    master: str = "local[2]",
    shuffle_partitions: int = 8,
    app_name: str = "dedup",
    log_level: str | None = None,
) -> Any:
    """A SparkSession for one machine: loopback only, no UI, workers on this interpreter.

    `log_level` (e.g. "ERROR" for `dedup -q`): the JVM's log4j level from its first line, through
    the session conf (`spark.driver.extraJavaOptions` naming a log4j2 file written for the start
    and removed after it); `setLogLevel` after the start came too late for Spark's start-up WARN
    lines. None: Spark's own default (WARN), then ERROR once started, as before.

    If a session is already active it is returned as it is (Spark allows one per process).
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    if log_level is not None and log_level.upper() not in LOG_LEVELS:
        raise ValueError(f"log_level must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master.startswith("local"):
        # The driver binds to loopback (below); without this Spark warns on every start that the
        # host name resolves to loopback and picks another interface's address.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
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
    conf_file = None
    if log_level is not None:
        fd, conf_file = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_LOG4J2.format(level=log_level.lower()))
        java_opts = f"-Dlog4j2.configurationFile={Path(conf_file).as_uri()}"
        builder = builder.config("spark.driver.extraJavaOptions", java_opts).config(
            "spark.executor.extraJavaOptions", java_opts
        )
    try:
        spark = builder.getOrCreate()
    except Exception as err:  # noqa: BLE001 - pyspark raises several kinds when the JVM cannot start
        raise SparkUnavailable(f"Spark could not start ({type(err).__name__}: {err}). {JAVA_HINT}") from err
    finally:
        if conf_file is not None:
            os.unlink(conf_file)  # read once, when the JVM started
    spark.sparkContext.setLogLevel(log_level.upper() if log_level is not None else "ERROR")
    return spark
