"""scim2-tester's RFC 7643/7644 checks against Easel's SCIM service: discovery, CRUD of
every resource type the server publishes, `attributes`/`excludedAttributes`, and PATCH
add/replace/remove of every writable attribute. Every check that ends in ERROR or
CRITICAL fails the run; SKIPPED ones (what ServiceProviderConfig says is unsupported,
or `POST /.search` answered 501) are listed.

Two adaptations of the tester's random filler, and only these, for what a schema
cannot say and the tester cannot know; every check runs, and every other value is the
tester's own:
- Easel's `userName` is an email address (the reference says so, and the published
  schema's description too), and the filler writes random UUIDs: a `userName` is filled
  with a fresh address.
- Easel's `roles` are coherent: exactly one `organization_user_role`, the primary one
  (ORGANIZATION_INTERNAL_ADMIN or ORGANIZATION_INTERNAL_USER), and any number of
  `organization_admin_role`s (Content Admin, User Admin, Security Admin), which are not
  primary; the filler picks a value, a type and `primary` independently of each other.
  A `roles` list is filled with a primary role and, at random, one admin role, in the
  order Easel answers them.

Usage: scim_tester.py BASE TOKEN (BASE ends in /scim/v2).
"""

import random
import sys
import uuid

import httpx2
import scim2_tester.filling as filling
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status
from scim2_tester import check_server

FAILED = {Status.ERROR, Status.CRITICAL}

_generate = filling.generate_random_value


def _coherent_roles(roles):
    """A primary organization role and, at random, one admin role."""
    if not isinstance(roles, list) or not roles:
        return roles
    kind = type(roles[0])
    out = [
        kind(
            value=random.choice(["ORGANIZATION_INTERNAL_ADMIN", "ORGANIZATION_INTERNAL_USER"]),
            type="organization_user_role",
            primary=True,
        )
    ]
    admin = random.choice([None, "Content Admin", "User Admin", "Security Admin"])
    if admin is not None:
        out.append(kind(value=admin, type="organization_admin_role", primary=False))
    return out


def _generate_with_email_user_names(context, path, mutability=None, required=None):
    value = _generate(context, path=path, mutability=mutability, required=required)
    name = str(path).rsplit(":", 1)[-1]
    if value is not None and name == "userName":
        return f"scim-tester-{uuid.uuid4().hex}@example.com"
    if value is not None and name == "roles":
        return _coherent_roles(value)
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
