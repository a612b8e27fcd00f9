"""kpicheck: check child-protection statistics against the targets of Vietnamese plans."""

__version__ = "0.1.0"
