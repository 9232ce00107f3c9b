"""Schemathesis hooks for scripts/schemathesis.sh.

`POST /services/{id}/runs` answers 422 (`idempotency_key_reused`) to an Idempotency-Key sent
before with a different request, as the IETF Idempotency-Key draft asks. Schemathesis draws keys
from their pattern, so it sends the shortest ones ("!", "0", ...) again and again with other
bodies; its positive-data check would then count the refusal as a valid request rejected. This
hook keeps a key for the request it was first sent with, so a repeat of the same request still
tests the replay (200, the same run), and gives a reused key a unique suffix (still valid) when
the request differs. The server's 422 for reused keys is tested in server/tests/runs.rs.
"""

import itertools
import json
import re

import schemathesis

VALID_KEY = re.compile(r"[!-~]{1,255}")
_first_request = {}
_suffix = itertools.count(1)


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers or {}
    name = next((h for h in headers if h.lower() == "idempotency-key"), None)
    if name is None or case.operation.method.upper() != "POST":
        return
    key = headers[name]
    if not isinstance(key, str) or not VALID_KEY.fullmatch(key):
        return
    request = json.dumps([case.formatted_path, case.path_parameters, case.body], sort_keys=True, default=str)
    first = _first_request.setdefault(key, request)
    if first != request:
        suffix = f"~{next(_suffix)}"
        unique = key[: 255 - len(suffix)] + suffix
        _first_request[unique] = request
        headers[name] = unique
