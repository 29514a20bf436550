"""Reading inputs: paths, globs and fsspec URLs; CSV/TSV (any common encoding), Parquet,
NDJSON and JSON, plain or gzip/zip compressed.

    expand_inputs(patterns) -> the files to read
    read_table(source)      -> ReadResult: frame, how it was read, quarantined rows, sha256
    write_quarantine(result, directory) -> the quarantine CSV, or None
"""

from anonymise.io.inputs import expand_inputs
from anonymise.io.read_result import QuarantinedRow, ReadResult
from anonymise.io.readers import read_table, write_quarantine

__all__ = ["QuarantinedRow", "ReadResult", "expand_inputs", "read_table", "write_quarantine"]
