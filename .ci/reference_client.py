"""Drives a running Easel with the reference platform's official Python client (`miro-api`),
unchanged: every operation of the client that Easel covers, reads and writes, against the
demo organization. The client validates each answer with its own models; an exception of
any kind (a refused call, a model that does not accept the answer) is a failure.

Usage: python reference_client.py BASE_URL ADMIN_TOKEN SERVICE_TOKEN
"""

import base64
import hashlib
import json
import sys
import traceback
import urllib.parse

import urllib3
from miro_api import MiroApi
from miro_api.configuration import Configuration
from miro_api import models as m

ORG = "3141592653"


def main() -> int:
    base, admin, service = sys.argv[1], sys.argv[2], sys.argv[3]
    Configuration.set_default(Configuration(host=base))
    api = MiroApi(admin)
    saved = {}
    failures = []
    done = []

    def call(name, fn, keep=None):
        try:
            answer = fn()
            if keep:
                keep(answer)
            done.append(name)
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            failures.append((name, exc, traceback.format_exc(limit=3)))

    # Organizations and members.
    call("enterprise_get_organization", lambda: api.enterprise_get_organization(ORG))
    call("enterprise_get_organization_members", lambda: api.enterprise_get_organization_members(ORG, limit=2))
    call(
        "enterprise_get_organization_members (emails)",
        lambda: api.enterprise_get_organization_members(ORG, emails="ben@acme.test,cy@acme.test"),
    )
    call(
        "enterprise_get_organization_members (filters)",
        lambda: api.enterprise_get_organization_members(
            ORG, role="organization_internal_user", license="full", active=True
        ),
    )
    call("enterprise_get_organization_member", lambda: api.enterprise_get_organization_member(ORG, "usr_ben"))

    # Teams, their members and settings.
    call("enterprise_get_teams", lambda: api.enterprise_get_teams(ORG, limit=10))
    call(
        "enterprise_create_team",
        lambda: api.enterprise_create_team(ORG, m.CreateTeamRequest.from_dict({"name": "Client team"})),
        keep=lambda t: saved.__setitem__("team", t.id),
    )
    call("enterprise_get_team", lambda: api.enterprise_get_team(ORG, saved["team"]))
    call(
        "enterprise_update_team",
        lambda: api.enterprise_update_team(ORG, saved["team"], m.TeamChanges.from_dict({"name": "Client team 2"})),
    )
    call(
        "enterprise_invite_team_member",
        lambda: api.enterprise_invite_team_member(
            ORG, saved["team"], m.TeamMemberInvite.from_dict({"email": "cy@acme.test", "role": "member"})
        ),
        keep=lambda t: saved.__setitem__("team_member", t.id),
    )
    call("enterprise_get_team_members", lambda: api.enterprise_get_team_members(ORG, saved["team"], limit=10))
    call(
        "enterprise_get_team_member",
        lambda: api.enterprise_get_team_member(ORG, saved["team"], saved["team_member"]),
    )
    call(
        "enterprise_update_team_member",
        lambda: api.enterprise_update_team_member(
            ORG, saved["team"], saved["team_member"], m.TeamMemberChanges.from_dict({"role": "admin"})
        ),
    )
    call(
        "enterprise_delete_team_member",
        lambda: api.enterprise_delete_team_member(ORG, saved["team"], saved["team_member"]),
    )
    call("enterprise_get_default_team_settings", lambda: api.enterprise_get_default_team_settings(ORG))
    call("enterprise_get_team_settings", lambda: api.enterprise_get_team_settings(ORG, "team_design"))
    call(
        "enterprise_update_team_settings",
        lambda: api.enterprise_update_team_settings(
            ORG,
            "team_design",
            m.TeamSettingsChanges.from_dict(
                {
                    "teamCollaborationSettings": {"coOwnerRole": "enabled"},
                    "teamSharingPolicySettings": {"defaultBoardAccess": "edit"},
                }
            ),
        ),
    )

    # Projects, their settings and members.
    call(
        "enterprise_create_project",
        lambda: api.enterprise_create_project(
            ORG, "team_design", m.CreateProjectRequest.from_dict({"name": "Client project"})
        ),
        keep=lambda p: saved.__setitem__("project", p.id),
    )
    call("enterprise_get_projects", lambda: api.enterprise_get_projects(ORG, "team_design", limit=10))
    call("enterprise_get_project", lambda: api.enterprise_get_project(ORG, "team_design", saved["project"]))
    call(
        "enterprise_update_project",
        lambda: api.enterprise_update_project(
            ORG, "team_design", saved["project"], m.UpdateProjectRequest.from_dict({"name": "Client project 2"})
        ),
    )
    call(
        "enterprise_get_project_settings",
        lambda: api.enterprise_get_project_settings(ORG, "team_design", saved["project"]),
    )
    call(
        "enterprise_update_project_settings",
        lambda: api.enterprise_update_project_settings(
            ORG,
            "team_design",
            saved["project"],
            m.UpdateProjectSettingsRequest.from_dict({"sharingPolicySettings": {"teamAccess": "view"}}),
        ),
    )
    call(
        "enterprise_add_project_member",
        lambda: api.enterprise_add_project_member(
            ORG,
            "team_design",
            saved["project"],
            m.AddProjectMemberRequest.from_dict({"email": "cy@acme.test", "role": "commentator"}),
        ),
        keep=lambda p: saved.__setitem__("project_member", p.id),
    )
    call(
        "enterprise_get_project_members",
        lambda: api.enterprise_get_project_members(ORG, "team_design", saved["project"], limit=10),
    )
    call(
        "enterprise_get_project_member",
        lambda: api.enterprise_get_project_member(ORG, "team_design", saved["project"], saved["project_member"]),
    )
    call(
        "enterprise_update_project_member",
        lambda: api.enterprise_update_project_member(
            ORG,
            "team_design",
            saved["project"],
            saved["project_member"],
            m.UpdateProjectMemberRequest.from_dict({"role": "editor"}),
        ),
    )
    call(
        "enterprise_delete_project_member",
        lambda: api.enterprise_delete_project_member(ORG, "team_design", saved["project"], saved["project_member"]),
    )

    # Boards, their members and items.
    call(
        "create_board",
        lambda: api.create_board(
            m.BoardChanges.from_dict(
                {
                    "name": "Client board",
                    "description": "made by the reference client",
                    "teamId": "team_design",
                    "policy": {"sharingPolicy": {"access": "private", "teamAccess": "comment"}},
                }
            )
        ),
        keep=lambda b: saved.__setitem__("board", b.id),
    )
    call("get_boards", lambda: api.get_boards(limit="2", offset="0"))
    call("get_boards (team)", lambda: api.get_boards(team_id="team_design", sort="alphabetically"))
    call("get_specific_board", lambda: api.get_specific_board(saved["board"]))
    call(
        "update_board",
        lambda: api.update_board(saved["board"], m.BoardChanges.from_dict({"name": "Client board 2"})),
    )
    call(
        "copy_board",
        lambda: api.copy_board(saved["board"], m.CopyBoardChanges.from_dict({"name": "Client copy"})),
        keep=lambda b: saved.__setitem__("copy", b.id),
    )
    call(
        "share_board",
        lambda: api.share_board(
            saved["board"], m.BoardMembersInvite.from_dict({"emails": ["cy@acme.test"], "role": "commenter"})
        ),
    )
    call("get_board_members", lambda: api.get_board_members(saved["board"], limit="10", offset="0"))
    call("get_specific_board_member", lambda: api.get_specific_board_member(saved["board"], "usr_cy"))
    call(
        "update_board_member",
        lambda: api.update_board_member(saved["board"], "usr_cy", m.BoardMemberChanges.from_dict({"role": "editor"})),
    )
    call("remove_board_member", lambda: api.remove_board_member(saved["board"], "usr_cy"))
    # The reference client creates items through per-type routes Easel does not cover; the
    # item it reads is made through Easel's own route.
    http = urllib3.PoolManager()
    made = http.request(
        "POST",
        f"{base}/v2/boards/brd_roadmap/items",
        body=json.dumps({"type": "sticky_note", "text": "from the reference client"}),
        headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
    )
    if made.status not in (200, 201):
        failures.append(("create an item (Easel's route)", Exception(made.data.decode()), ""))
    call(
        "get_items",
        lambda: api.get_items("brd_roadmap", limit="10"),
        keep=lambda page: saved.__setitem__("item", page.data[0].id),
    )
    call("get_specific_item", lambda: api.get_specific_item("brd_roadmap", saved["item"]))
    call(
        "update_item_position_or_parent",
        lambda: api.update_item_position_or_parent(
            "brd_roadmap", saved["item"], m.GenericItemUpdate.from_dict({"position": {"x": 10.0, "y": 20.0}})
        ),
    )
    call("delete_item", lambda: api.delete_item("brd_roadmap", saved["item"]))
    call("delete_board", lambda: api.delete_board(saved["copy"]))

    # Compliance.
    call(
        "enterprise_get_audit_logs",
        lambda: api.enterprise_get_audit_logs("2020-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z", limit=5),
    )
    call(
        "enterprise_board_content_item_logs_fetch",
        lambda: api.enterprise_board_content_item_logs_fetch(
            ORG, "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", limit=5
        ),
    )
    call(
        "enterprise_dataclassification_organization_settings_get",
        lambda: api.enterprise_dataclassification_organization_settings_get(ORG),
    )
    call(
        "enterprise_dataclassification_team_settings_get",
        lambda: api.enterprise_dataclassification_team_settings_get(ORG, "team_design"),
    )
    call(
        "enterprise_dataclassification_team_settings_set",
        lambda: api.enterprise_dataclassification_team_settings_set(
            ORG, "team_design", m.UpdateTeamSettingsRequest.from_dict({"enabled": True})
        ),
    )
    call(
        "enterprise_dataclassification_board_get",
        lambda: api.enterprise_dataclassification_board_get(ORG, "team_design", "brd_roadmap"),
    )
    # The client reads cases and holds; it creates them through the reference's routes,
    # which it does not wrap.
    def create(path, body):
        r = http.request(
            "POST",
            f"{base}{path}",
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
        )
        if r.status != 200:
            raise RuntimeError(f"POST {path}: {r.status} {r.data.decode()}")
        return json.loads(r.data)["id"]

    call("create a case", lambda: saved.__setitem__("case", create(f"/v2/orgs/{ORG}/cases", {"name": "Client case"})))
    call(
        "create a legal hold",
        lambda: saved.__setitem__(
            "hold",
            create(
                f"/v2/orgs/{ORG}/cases/{saved['case']}/legal-holds",
                {"name": "Ben", "scope": {"users": [{"email": "ben@acme.test"}]}},
            ),
        ),
    )
    call("get_all_cases", lambda: api.get_all_cases(10, ORG))
    call("get_case", lambda: api.get_case(ORG, saved["case"]))
    call("get_all_legal_holds", lambda: api.get_all_legal_holds(10, ORG, saved["case"]))
    call("get_legal_hold", lambda: api.get_legal_hold(ORG, saved["case"], saved["hold"]))
    call(
        "get_legal_hold_content_items",
        lambda: api.get_legal_hold_content_items(ORG, saved["case"], saved["hold"], 10),
    )

    # An app token, made through Easel's OAuth 2.0 endpoints, for the token routes.
    call("an app token (Easel's OAuth flow)", lambda: saved.__setitem__("app", app_token(http, base, admin, service)))
    call("token_info", lambda: MiroApi(saved["app"]).token_info())
    call("revoke_token", lambda: MiroApi(saved["app"]).revoke_token(saved["app"]))
    call("enterprise_post_user_sessions_reset", lambda: api.enterprise_post_user_sessions_reset("cy@acme.test"))

    # Teams last: deleting one removes what it holds.
    call("enterprise_delete_project", lambda: api.enterprise_delete_project(ORG, "team_design", saved["project"]))
    call("enterprise_delete_team", lambda: api.enterprise_delete_team(ORG, saved["team"]))

    for name, exc, trace in failures:
        print(f"FAILED {name}: {type(exc).__name__}: {exc}\n{trace}", file=sys.stderr)
    print(f"{len(done)} calls passed, {len(failures)} failed")
    return 1 if failures else 0


REDIRECT = "https://app.example/callback"
VERIFIER = "reference-client-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"


def app_token(http, base, admin, service):
    """Registers an app for Ana's team, signs Ana in through a session, consents on the
    authorization page and exchanges the code (PKCE) for an access token."""
    auth = {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}
    r = http.request(
        "POST",
        f"{base}/v2/apps",
        body=json.dumps(
            {"name": "Reference client", "teamId": "team_design", "redirectUris": [REDIRECT], "scopes": ["boards:read"]}
        ),
        headers=auth,
    )
    assert r.status == 201, r.data
    app = json.loads(r.data)
    r = http.request(
        "POST",
        f"{base}/v1/sessions",
        body=json.dumps({"userId": "usr_ana"}),
        headers={"Authorization": f"Bearer {service}", "Content-Type": "application/json"},
    )
    assert r.status == 201, r.data
    cookie = {"Cookie": f"easel_session={json.loads(r.data)['session']}"}
    challenge = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
    asked = {
        "response_type": "code",
        "client_id": app["id"],
        "redirect_uri": REDIRECT,
        "scope": "boards:read",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    r = http.request("GET", f"{base}/oauth/authorize?{urllib.parse.urlencode(asked)}", headers=cookie)
    assert r.status == 200, r.data
    csrf = r.data.decode().split('name="csrf" value="')[1].split('"')[0]
    r = http.request(
        "POST",
        f"{base}/oauth/authorize",
        body=urllib.parse.urlencode({**asked, "team_id": "team_design", "csrf": csrf, "decision": "allow"}),
        headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"},
        redirect=False,
    )
    assert r.status == 302, r.data
    code = urllib.parse.parse_qs(urllib.parse.urlparse(r.headers["Location"]).query)["code"][0]
    r = http.request(
        "POST",
        f"{base}/v1/oauth/token",
        body=urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": VERIFIER,
                "client_id": app["id"],
                "client_secret": app["clientSecret"],
            }
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status == 200, r.data
    return json.loads(r.data)["access_token"]


if __name__ == "__main__":
    sys.exit(main())
