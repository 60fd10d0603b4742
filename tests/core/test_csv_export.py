"""CSV exports cannot smuggle formulas into a spreadsheet."""

import csv
import io

from civic_core.csv_export import csv_lines, csv_response, escape_cell, streaming_csv_response


def test_text_that_a_spreadsheet_would_run_is_quoted():
    for dangerous in ('=HYPERLINK("http://x")', "+33 6", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert escape_cell(dangerous) == "'" + dangerous
    assert escape_cell("Il faut des bancs") == "Il faut des bancs"
    # Numbers stay numbers.
    assert escape_cell(-5) == -5
    assert escape_cell(2.5) == 2.5


def test_lines_are_valid_csv_with_the_delimiter_asked_for():
    lines = list(csv_lines([["name", "votes"], ["=1+1", 3], ["a;b", -1]], delimiter=";"))
    rows = list(csv.reader(io.StringIO("".join(lines)), delimiter=";"))
    assert rows == [["name", "votes"], ["'=1+1", "3"], ["a;b", "-1"]]


def test_responses_are_downloads():
    response = csv_response("export.csv", [["a"], ["=b"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response.content.decode().splitlines() == ["a", "'=b"]
    streamed = streaming_csv_response("big.csv", iter([["x"], ["@y"]]))
    assert b"".join(streamed.streaming_content).decode().splitlines() == ["x", "'@y"]
