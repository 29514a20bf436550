"""anonymise: an anonymisation engine for CRM contact exports."""

__version__ = "0.1.0"
