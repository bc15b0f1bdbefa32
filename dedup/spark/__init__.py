"""Spark batch runner for `dedup scan` (the optional extra `spark`): same clusters as the local scan.

Importing this package does not import pyspark; `spark_scan` and `local_session` need it and say
how to install it when it is missing (`SparkUnavailable`).
"""

from __future__ import annotations

from dedup.spark.scan import SparkScanResult, spark_scan
from dedup.spark.session import SparkUnavailable, local_session, require_pyspark

__all__ = ["SparkScanResult", "SparkUnavailable", "local_session", "require_pyspark", "spark_scan"]
