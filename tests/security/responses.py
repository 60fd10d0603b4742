"""What a refusal must look like, for the hostile-input walk and the fuzzer alike."""

import json


def refusal_problems(status, content, where):
    """What is wrong with an answer to hostile input: a 5xx, or a 4xx outside the shared
    ``{"error": {"status": ..., ...}}`` shape."""
    if status >= 500:
        return [f"{where}: {status}"]
    if status < 400:
        return []
    try:
        error = json.loads(content)["error"]
        shaped = error["status"] == status
    except (ValueError, KeyError, TypeError):
        shaped = False
    return [] if shaped else [f"{where}: {status} outside the error shape: {content[:200]!r}"]


def json_body(response):
    """The JSON of a successful answer, or None (an error, a CSV download, an HTML page)."""
    if response.status_code != 200 or "json" not in response.headers.get("Content-Type", ""):
        return None
    return response.json()
