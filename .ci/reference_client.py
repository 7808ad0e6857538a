"""Drives a running Easel with the reference platform's official Python client (`miro-api`),
unchanged: every operation of the client that Easel covers, reads and writes, against the
demo organization. The client validates each answer with its own models; an exception of
any kind (a refused call, a model that does not accept the answer) is a failure.

Usage: python reference_client.py BASE_URL ADMIN_TOKEN
"""

import json
import sys
import traceback

import urllib3
from miro_api import MiroApi
from miro_api.configuration import Configuration
from miro_api import models as m

ORG = "3141592653"


def main() -> int:
    base, admin = sys.argv[1], sys.argv[2]
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
                    "teamSharingPolicySettings": {"defaultBoardAccess": "view"},
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
    call("get_all_cases", lambda: api.get_all_cases(10, ORG), keep=lambda p: saved.__setitem__("cases", p))
    call("enterprise_post_user_sessions_reset", lambda: api.enterprise_post_user_sessions_reset("cy@acme.test"))

    # Teams last: deleting one removes what it holds.
    call("enterprise_delete_project", lambda: api.enterprise_delete_project(ORG, "team_design", saved["project"]))
    call("enterprise_delete_team", lambda: api.enterprise_delete_team(ORG, saved["team"]))

    for name, exc, trace in failures:
        print(f"FAILED {name}: {type(exc).__name__}: {exc}\n{trace}", file=sys.stderr)
    print(f"{len(done)} calls passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
