//! A reference evaluator written straight from MODEL.md §3, as plainly as possible: no
//! indexes, no engine types, every channel a scan over plain vectors. The property tests
//! compare the engine with it.

use super::world::{Kind, World};

/// Roles as numbers: 1 viewer, 2 commenter, 3 editor, 4 coowner, 5 owner.
pub const VIEWER: u8 = 1;
pub const EDITOR: u8 = 3;
pub const COOWNER: u8 = 4;
pub const OWNER: u8 = 5;

fn plan(w: &World) -> &'static str {
    super::world::PLANS[w.plan]
}

/// Company settings apply only on the enterprise plan; elsewhere they are the defaults.
fn company_coowners(w: &World) -> bool {
    if plan(w) == "enterprise" {
        w.coowner_role
    } else {
        true
    }
}

fn company_link_sharing(w: &World) -> usize {
    if plan(w) == "enterprise" {
        w.link_sharing
    } else {
        2
    }
}

fn company_extended(w: &World) -> bool {
    plan(w) == "enterprise" && w.extended_content_admin
}

/// Whether the request presents board `b`'s link: the public-link channel applies.
fn presents_link(w: &World, b: usize, link: Option<&str>) -> bool {
    w.boards[b].has_link && link == Some(World::link(b).as_str())
}

/// Whether user `u` is refused at the credential layer on board `b`: a user deactivated in
/// the organization has no role from any channel but the public link, which treats them as
/// an anonymous visitor; without the board's link they are refused as deactivated.
pub fn deactivated_refused(w: &World, u: Option<usize>, b: usize, link: Option<&str>) -> bool {
    let inactive = u.is_some_and(|u| w.users[u].kind != Kind::Outsider && !w.users[u].active);
    inactive && !presents_link(w, b, link)
}

/// Whether user `u` is decided as an anonymous visitor on board `b`: a deactivated user
/// presenting the board's link, or a user outside the organization.
pub fn as_visitor(w: &World, u: Option<usize>, b: usize, link: Option<&str>) -> bool {
    match u {
        None => true,
        Some(u) => {
            w.users[u].kind == Kind::Outsider || (!w.users[u].active && presents_link(w, b, link))
        }
    }
}

/// The effective role of user `u` on board `b`, presenting `link` or not.
pub fn role(w: &World, u: Option<usize>, b: usize, link: Option<&str>) -> Option<u8> {
    let board = &w.boards[b];
    let team = &w.teams[board.team];
    let p = plan(w);
    let coowners_allowed =
        (p == "consultant" || p == "enterprise") && company_coowners(w) && team.coowner_role;
    let act = |r: u8| {
        if r == COOWNER && !coowners_allowed {
            EDITOR
        } else {
            r
        }
    };
    let mut best: Option<u8> = None;
    let mut offer = |r: u8| best = Some(best.map_or(r, |x: u8| x.max(r)));

    // A user reaches the board through the organization only while active and inside it.
    if let Some(u) = u.filter(|u| w.users[*u].kind != Kind::Outsider && w.users[*u].active) {
        let member = w.users[u].kind == Kind::Member;
        let in_group = |g: usize| w.groups[g].contains(&u);
        if board.owner == u {
            offer(OWNER);
        }
        for (who, is_group, r) in &board.grants {
            let granted = *r as u8 + 1;
            if (!is_group && *who == u) || (*is_group && in_group(*who)) {
                offer(act(granted));
            }
        }
        let in_team =
            team.members.iter().any(|(m, _)| *m == u) || team.groups.iter().any(|g| in_group(*g));
        if member && in_team && team.team_sharing {
            // On the free plan every board is shared with its whole team, at editor.
            let access = if board.team_access == 0 && p == "free" {
                3
            } else {
                board.team_access
            };
            if access > 0 {
                offer(access as u8);
            }
        }
        if let Some(pi) = board.project
            && p != "free"
        {
            let project = &w.projects[pi];
            if let Some((_, r)) = project.members.iter().find(|(m, _)| *m == u) {
                offer(act((*r as u8 + 1).min(COOWNER)));
            }
            // A group assigned to the project gives its members its role, as members.
            for (g, r) in &project.groups {
                if in_group(*g) {
                    offer(act((*r as u8 + 1).min(COOWNER)));
                }
            }
        }
        if member && p == "enterprise" && team.company_sharing && board.company_access > 0 {
            offer(board.company_access as u8);
        }
        let tca = team.content_admins.contains(&u);
        let user = &w.users[u];
        if member
            && p == "enterprise"
            && (user.content_admin || tca || (user.company_admin && company_extended(w)))
        {
            offer(EDITOR);
        }
    }
    if presents_link(w, b, link) && board.public_access > 0 {
        // 0 off, 1 view/comment (commenter at most), 2 any (editor at most).
        let ceiling = match company_link_sharing(w).min(team.link_sharing) {
            0 => 0,
            1 => 2,
            _ => 3,
        };
        let r = (board.public_access as u8).min(ceiling);
        if r > 0 {
            offer(r);
        }
    }
    best
}
