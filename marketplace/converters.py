from django.urls import register_converter
from django.urls.converters import IntConverter


class RowIdConverter(IntConverter):
    """An id the database can hold (a signed 64-bit integer): a larger one is a 404, not the
    OverflowError SQLite raises on the lookup."""

    MAX = 2**63 - 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > self.MAX:
            raise ValueError(f"{value} is out of range")
        return number


# Registered on import: every URL module that uses <row_id:...> imports this one first.
register_converter(RowIdConverter, "row_id")
