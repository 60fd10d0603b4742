"""CSV exports that a spreadsheet opens safely.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by spreadsheet programs (CSV injection, OWASP): such text cells are prefixed with a quote.
Numbers are written as they are.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_row(row):
    return [escape_cell(value) for value in row]


class _Echo:
    """A file whose ``write`` returns the line, so the writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_lines(rows, delimiter=","):
    """Each row (the header first, if the caller puts one there) as one escaped CSV line."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    for row in rows:
        yield writer.writerow(escape_row(row))


def _disposition(filename):
    return f'attachment; filename="{filename}"'


def csv_response(filename, rows, delimiter=","):
    """A downloadable CSV built in memory (small exports)."""
    response = HttpResponse(
        "".join(csv_lines(rows, delimiter)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _disposition(filename)
    return response


def streaming_csv_response(filename, rows, delimiter=","):
    """A downloadable CSV written as the rows come (large exports)."""
    response = StreamingHttpResponse(
        csv_lines(rows, delimiter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _disposition(filename)
    return response
