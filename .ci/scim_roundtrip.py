"""Round trips through Easel's SCIM service with scim2-client, as an identity provider
drives it: a user created, read, replaced, deactivated and reactivated, found by
userName, and deleted; a team (Group) created, given members and relieved of one by
PATCH, read back and deleted. Every answer is validated by scim2-client against the RFC
models; the versions (ETags) are sent back as If-Match, and a stale one must be refused.

Usage: scim_roundtrip.py BASE TOKEN (BASE ends in /scim/v2).
"""

import sys
import uuid

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import Email
from scim2_models import EnterpriseUser
from scim2_models import Error
from scim2_models import Group
from scim2_models import GroupMember
from scim2_models import ListResponse
from scim2_models import Name
from scim2_models import PatchOp
from scim2_models import PatchOperation
from scim2_models import ResourceType
from scim2_models import ScimProvider
from scim2_models import SearchRequest
from scim2_models import User


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def client_for(base, token):
    http = httpx2.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    provider = ScimProvider(
        models=[User, EnterpriseUser, Group],
        resource_types=[
            ResourceType.from_resource(User[EnterpriseUser]),
            ResourceType.from_resource(Group),
        ],
    )
    client = SyncSCIMClient(http, provider=provider)
    # The models are given; this reads the ServiceProviderConfig (ETags, PATCH).
    client.discover()
    return http, client


def new_user(model, label):
    email = f"scim-{label}-{uuid.uuid4().hex[:12]}@example.com"
    user = model(
        user_name=email,
        name=Name(given_name="Ada", family_name=label.capitalize()),
        display_name=f"Ada {label}",
        emails=[Email(value=email, primary=True, type="work")],
        active=True,
    )
    user[EnterpriseUser] = EnterpriseUser(department="Research", cost_center="CC-1")
    return user


def patch(model, *operations):
    return PatchOp[model](operations=list(operations))


def users(client, http, base):
    UserE = client.get_resource_model("User")

    created = client.create(new_user(UserE, "round"))
    check(created.id, "a created user has an id")
    check(created.meta and created.meta.version, "a created user has a version")
    check(created.meta.location.endswith(f"/Users/{created.id}"), "meta.location")
    check(created[EnterpriseUser].department == "Research", "the extension is kept")

    read = client.query(UserE, created.id)
    check(read.user_name == created.user_name, "read back by id")

    read.display_name = "Ada Replaced"
    read.name = Name(given_name="Ada", family_name="Replaced")
    replaced = client.replace(read)
    check(replaced.display_name == "Ada Replaced", "PUT replaces displayName")
    check(replaced.meta.version != created.meta.version, "PUT changes the version")

    # A stale version is refused: 412, with a SCIM error.
    stale = http.put(
        f"{base}/Users/{created.id}",
        headers={
            "If-Match": created.meta.version,
            "Content-Type": "application/scim+json",
        },
        json=replaced.model_dump(),
    )
    check(stale.status_code == 412, f"stale If-Match gives 412, not {stale.status_code}")

    for active in (False, True):
        patched = client.modify(
            UserE,
            created.id,
            patch(
                UserE,
                PatchOperation(op=PatchOperation.Op.replace_, path="active", value=active),
            ),
        )
        current = patched if patched is not None else client.query(UserE, created.id)
        check(current.active is active, f"PATCH active {active}")

    found = client.query(
        UserE,
        query_parameters=SearchRequest(filter=f'userName eq "{created.user_name}"'),
    )
    check(isinstance(found, ListResponse), "a filtered list is a ListResponse")
    check(found.total_results == 1, "userName eq finds exactly the user")
    check(found.resources[0].id == created.id, "and it is that user")

    nobody = client.query(
        UserE,
        query_parameters=SearchRequest(filter='userName eq "nobody-here@example.com"'),
    )
    check(nobody.total_results == 0, "a filter matching nobody finds nobody")

    client.delete(UserE, created.id)
    gone = client.query(UserE, created.id, raise_scim_errors=False, expected_status_codes=None)
    check(isinstance(gone, Error) and gone.status == 404, "a deleted user is 404")


def groups(client):
    UserE = client.get_resource_model("User")
    members = [client.create(new_user(UserE, f"member{i}")) for i in range(2)]
    try:
        team = client.create(
            Group(
                display_name=f"SCIM team {uuid.uuid4().hex[:8]}",
                members=[GroupMember(value=members[0].id, type="User")],
            )
        )
        check(team.id, "a created team has an id")
        check([m.value for m in team.members or []] == [members[0].id], "created with its member")

        client.modify(
            Group,
            team.id,
            patch(
                Group,
                PatchOperation(
                    op=PatchOperation.Op.add,
                    path="members",
                    value=[{"value": members[1].id}],
                ),
            ),
        )
        read = client.query(Group, team.id)
        check(
            sorted(m.value for m in read.members or []) == sorted(m.id for m in members),
            "PATCH add members",
        )

        client.modify(
            Group,
            team.id,
            patch(
                Group,
                PatchOperation(
                    op=PatchOperation.Op.remove,
                    path=f'members[value eq "{members[0].id}"]',
                ),
            ),
        )
        read = client.query(Group, team.id)
        check([m.value for m in read.members or []] == [members[1].id], "PATCH remove a member")

        renamed = f"{read.display_name} renamed"
        client.modify(
            Group,
            team.id,
            patch(
                Group,
                PatchOperation(op=PatchOperation.Op.replace_, path="displayName", value=renamed),
            ),
        )
        read = client.query(Group, team.id)
        check(read.display_name == renamed, "PATCH displayName")

        member = client.query(UserE, members[1].id)
        check(
            [g.value for g in member.groups or []].count(team.id) == 1,
            "the member's groups name the team",
        )

        client.delete(Group, team.id)
        gone = client.query(Group, team.id, raise_scim_errors=False, expected_status_codes=None)
        check(isinstance(gone, Error) and gone.status == 404, "a deleted team is 404")
    finally:
        for member in members:
            client.delete(UserE, member.id, raise_scim_errors=False, expected_status_codes=None)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    http, client = client_for(base, token)
    # The client opened the connection pool when it discovered the server; closed here.
    try:
        users(client, http, base)
        print("users: create, read, replace, stale If-Match, PATCH active, filter, delete")
        groups(client)
        print("groups: create, PATCH add/remove members and displayName, read, delete")
    finally:
        http.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
