"""Reading input files into :class:`TextRecord` objects."""

from .readers import TextRecord, iter_records, parse_front_matter, read_record

__all__ = ["TextRecord", "iter_records", "parse_front_matter", "read_record"]
