"""What a downloaded CSV holds, for the tests of the CSV exports."""

import csv
import io


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    """The downloaded bytes, and the rows a spreadsheet would read from them."""
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
