"""Reading input files into :class:`TextRecord` objects, reporting every file that is not read."""

from .html import html_to_text
from .readers import (
    InputError,
    InputWarning,
    Problem,
    TextRecord,
    iter_records,
    parse_front_matter,
    read_record,
    record_from_bytes,
    split_record,
)
from .scan import ScannedRecord, scan_records

__all__ = [
    "InputError",
    "InputWarning",
    "Problem",
    "ScannedRecord",
    "TextRecord",
    "html_to_text",
    "iter_records",
    "parse_front_matter",
    "read_record",
    "record_from_bytes",
    "scan_records",
    "split_record",
]
