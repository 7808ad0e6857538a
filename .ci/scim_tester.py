"""scim2-tester's RFC 7643/7644 checks against Easel's SCIM service: discovery, CRUD of
every resource type the server publishes, `attributes`/`excludedAttributes`, and PATCH
add/replace/remove of every writable attribute. Every check that ends in ERROR or
CRITICAL fails the run; SKIPPED ones (what ServiceProviderConfig says is unsupported,
or `POST /.search` answered 501) are listed.

One adaptation, and only one: scim2-tester fills string attributes with random UUIDs,
and Easel's `userName` is an email address (the reference says so, and the published
schema's description too), which the tester cannot know. Its filler is taught that a
`userName` is a fresh address; every other value is the tester's own.

Usage: scim_tester.py BASE TOKEN (BASE ends in /scim/v2).
"""

import sys
import uuid

import httpx2
import scim2_tester.filling as filling
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status
from scim2_tester import check_server

FAILED = {Status.ERROR, Status.CRITICAL}

_generate = filling.generate_random_value


def _generate_with_email_user_names(context, path, mutability=None, required=None):
    value = _generate(context, path=path, mutability=mutability, required=required)
    if value is not None and str(path).rsplit(":", 1)[-1] == "userName":
        return f"scim-tester-{uuid.uuid4().hex}@example.com"
    return value


# The checkers import the filler by name: replace it wherever it was bound.
for _module in list(sys.modules.values()):
    if (getattr(_module, "__name__", "") or "").startswith("scim2_tester") and getattr(
        _module, "generate_random_value", None
    ) is _generate:
        _module.generate_random_value = _generate_with_email_user_names


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    http = httpx2.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    with http:
        client = SyncSCIMClient(http)
        results = check_server(client)

    failed = 0
    for result in results:
        where = f"[{result.resource_type}] " if result.resource_type else ""
        line = f"{result.status.name:<10} {where}{result.title}: {result.reason or ''}"
        print(line.rstrip())
        if result.status in FAILED:
            failed += 1
            if result.data is not None:
                print(f"           data: {result.data!r}"[:2000])
    counts = {}
    for result in results:
        counts[result.status.name] = counts.get(result.status.name, 0) + 1
    print("scim2-tester:", ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    if not results:
        print("scim2-tester ran no check", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
