//! The boards a user reaches, walked once in board order. The candidates come from the
//! reverse indexes: the longest (the boards open to the company, or every board for an
//! admin) is read straight through and the few short ones are merged into it. An action
//! that needs nothing but a role (view, comment, edit, …) is decided from each board's core
//! and from facts worked out once per organization and per team; any other action, and any
//! board not active, is decided by `decide` itself. The differential tests hold the two
//! paths to the same answers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::action::Action;
use crate::catalog::{AdminRole, Capability, Feature, Plan};
use crate::decide::trace::Silent;
use crate::decide::{Ctx, decide, subject_layers};
use crate::ids::{BoardIx, OrgIx, TeamIx, UserIx, lookup};
use crate::model::{BoardCore, Grantee, User};
use crate::request::{Request, Subject, Target};
use crate::roles::{Access, BoardRole, MemberKind};
use crate::settings::effective_coowners;
use crate::state::State;
use crate::time::Time;

use super::BoardAccess;

/// The role an action needs when a role is all it needs: the capabilities whose rules add
/// nothing to the role (no admin alternative, no setting, no other party).
fn role_only(action: Action) -> Option<BoardRole> {
    let Action::Board(cap) = action else {
        return None;
    };
    match cap {
        Capability::View
        | Capability::Comment
        | Capability::EditContent
        | Capability::DownloadBackup
        | Capability::SetPassword
        | Capability::HideFramesAndProtectedLock
        | Capability::ConfigureContentSettings => cap.min_role(),
        _ => None,
    }
}

/// What holds for the user in one organization, whatever the board.
#[derive(Clone, Copy)]
struct OrgFacts {
    org: OrgIx,
    /// A usable membership, and the credential, scope and plan layers pass.
    open: bool,
    guest: bool,
    full_member: bool,
    team_sharing_optional: bool,
    projects: bool,
    company_sharing: bool,
    /// Content admin access on every board of the organization.
    admin_everywhere: bool,
    /// Team content admins exist here (the admin roles feature).
    admin_roles: bool,
}

/// What holds for the user in one team, as bits.
const KNOWN: u8 = 1;
const MEMBER: u8 = 2;
const TEAM_SHARING: u8 = 4;
const COMPANY_SHARING: u8 = 8;
const COOWNERS_ON: u8 = 16;
const TEAM_CONTENT_ADMIN: u8 = 32;

/// The boards `user` reaches for `action`, after the board `after` if given, in board
/// order. Built by `reach`.
pub struct Reach<'s> {
    state: &'s State,
    user: UserIx,
    u: &'s User,
    action: Action,
    now: Time,
    needed: Option<BoardRole>,
    /// The longest source, read straight through.
    main: &'s [BoardIx],
    /// The other sources, merged through a heap of (board, source, position).
    others: Vec<&'s [BoardIx]>,
    heap: BinaryHeap<Reverse<(BoardIx, usize, usize)>>,
    last: Option<BoardIx>,
    /// Where the walk stands in the user's direct grants (both are in board order).
    direct: usize,
    orgs: Vec<Option<OrgFacts>>,
    teams: Vec<u8>,
}

impl<'s> Reach<'s> {
    pub(super) fn new(
        state: &'s State,
        user: UserIx,
        u: &'s User,
        action: Action,
        after: Option<u32>,
        now: Time,
    ) -> Reach<'s> {
        // Every reverse index that may hold a board the user reaches, each sorted.
        let mut sources: Vec<&'s [BoardIx]> = vec![&u.owned, &u.direct];
        for g in &u.groups {
            if let Some(group) = state.group(*g) {
                sources.push(&group.boards);
                for p in &group.projects {
                    sources.extend(state.project(*p).map(|p| p.boards.as_slice()));
                }
                for t in &group.teams {
                    sources.extend(state.team(*t).map(|t| t.boards.as_slice()));
                }
            }
        }
        for (t, _) in &u.teams {
            sources.extend(state.team(*t).map(|t| t.boards.as_slice()));
        }
        for t in &u.content_admin_teams {
            sources.extend(state.team(*t).map(|t| t.boards.as_slice()));
        }
        for (p, _) in &u.projects {
            sources.extend(state.project(*p).map(|p| p.boards.as_slice()));
        }
        for m in &u.orgs {
            let Some(org) = state.org(m.org) else {
                continue;
            };
            // Admins (and the account owner) may reach any board: content access, trash.
            // Access is requested precisely where no channel reaches: any board.
            if !m.admin_roles.is_empty()
                || org.owner == Some(user)
                || action == Action::Board(Capability::RequestAccess)
            {
                sources.push(&org.boards);
            } else if m.kind == MemberKind::Member && org.plan == Plan::Enterprise {
                sources.push(&org.company_boards);
            }
        }
        let start = |s: &'s [BoardIx]| -> &'s [BoardIx] {
            let from = after.map_or(0, |a| s.partition_point(|b| b.0 <= a));
            s.get(from..).unwrap_or_default()
        };
        let mut sources: Vec<&'s [BoardIx]> = sources.into_iter().map(start).collect();
        let longest = (0..sources.len()).max_by_key(|i| sources[*i].len());
        let main = longest.map_or(&[][..], |i| sources.swap_remove(i));
        let heap = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.first().map(|b| Reverse((*b, i, 0))))
            .collect();
        let direct = after.map_or(0, |a| u.direct.partition_point(|b| b.0 <= a));
        Reach {
            state,
            user,
            u,
            action,
            now,
            needed: role_only(action),
            main,
            others: sources,
            heap,
            last: None,
            direct,
            orgs: vec![None; u.orgs.len()],
            teams: Vec::new(),
        }
    }

    /// The next candidate in board order, each once.
    fn next_candidate(&mut self) -> Option<BoardIx> {
        loop {
            let from_heap = self.heap.peek().map(|Reverse((b, _, _))| *b);
            let from_main = self.main.first().copied();
            let b = match (from_main, from_heap) {
                (None, None) => return None,
                (Some(m), Some(h)) if h < m => self.pop_heap(),
                (Some(m), _) => {
                    self.main = &self.main[1..];
                    m
                }
                (None, Some(_)) => self.pop_heap(),
            };
            if self.last != Some(b) {
                self.last = Some(b);
                return Some(b);
            }
        }
    }

    fn pop_heap(&mut self) -> BoardIx {
        match self.heap.pop() {
            Some(Reverse((b, i, pos))) => {
                if let Some(next) = self.others[i].get(pos + 1) {
                    self.heap.push(Reverse((*next, i, pos + 1)));
                }
                b
            }
            // Only called after a peek saw an entry.
            None => BoardIx(u32::MAX),
        }
    }

    /// Decides one candidate.
    fn decide_one(&mut self, b: BoardIx) -> Option<BoardAccess> {
        while self.u.direct.get(self.direct).is_some_and(|d| *d < b) {
            self.direct += 1;
        }
        let in_direct = self.u.direct.get(self.direct) == Some(&b);
        let core = self.state.board_core(b).copied();
        match (self.needed, core) {
            (Some(needed), Some(core)) if core.active => {
                let facts = self.org_facts(core.org)?;
                let role = self.role(&facts, &core, b, in_direct);
                role.filter(|r| *r >= needed).map(|r| BoardAccess {
                    board: b,
                    role: Some(r),
                })
            }
            _ => {
                let req = Request::new(Subject::User(self.user), self.action, Target::Board(b));
                let decision = decide(self.state, &req, self.now);
                decision.allowed.then_some(BoardAccess {
                    board: b,
                    role: decision.role,
                })
            }
        }
    }

    fn org_facts(&mut self, org: OrgIx) -> Option<OrgFacts> {
        let i = self.u.orgs.iter().position(|m| m.org == org)?;
        if let Some(found) = self.orgs[i] {
            return found.open.then_some(found);
        }
        let facts = self.work_out_org(org);
        self.orgs[i] = Some(facts);
        facts.open.then_some(facts)
    }

    fn work_out_org(&self, org_ix: OrgIx) -> OrgFacts {
        let closed = OrgFacts {
            org: org_ix,
            open: false,
            guest: false,
            full_member: false,
            team_sharing_optional: false,
            projects: false,
            company_sharing: false,
            admin_everywhere: false,
            admin_roles: false,
        };
        let Some(org) = self.state.org(org_ix) else {
            return closed;
        };
        let req = Request::new(Subject::User(self.user), self.action, Target::Org(org_ix));
        let ctx = Ctx::new(self.state, &req, org_ix, org);
        let plan_has = match self.action {
            Action::Board(cap) => cap.plans().contains(org.plan),
            _ => true,
        };
        let open = ctx.user.is_some()
            && ctx.membership.is_some()
            && plan_has
            && subject_layers(&ctx, self.now, &mut Silent).is_ok();
        let admin_roles = ctx.is_full_member() && ctx.has(Feature::AdminRoles);
        OrgFacts {
            org: org_ix,
            open,
            guest: ctx.is_guest(),
            full_member: ctx.is_full_member(),
            team_sharing_optional: ctx.has(Feature::TeamSharingOptional),
            projects: ctx.has(Feature::Projects),
            company_sharing: ctx.has(Feature::CompanySharing),
            admin_everywhere: admin_roles
                && (ctx.org_roles.contains(AdminRole::ContentAdmin)
                    || (ctx.is_company_admin() && ctx.company.extended_content_admin)),
            admin_roles,
        }
    }

    fn team_facts(&mut self, facts: &OrgFacts, team: TeamIx) -> u8 {
        if self.teams.is_empty() {
            self.teams = vec![0; self.state.teams.len()];
        }
        let known = self.teams.get(team.get()).copied().unwrap_or(0);
        if known & KNOWN != 0 {
            return known;
        }
        let mut bits = KNOWN;
        if let (Some(t), Some(org)) = (self.state.team(team), self.state.org(facts.org)) {
            let req = Request::new(Subject::User(self.user), self.action, Target::Team(team));
            let ctx = Ctx::new(self.state, &req, facts.org, org);
            let sharing = t.settings.team_and_company_sharing;
            let flags = [
                (ctx.team_role(team).is_some(), MEMBER),
                (sharing.team, TEAM_SHARING),
                (sharing.company, COMPANY_SHARING),
                (
                    ctx.has(Feature::Coowners) && effective_coowners(ctx.company, &t.settings),
                    COOWNERS_ON,
                ),
                (ctx.is_team_content_admin(team), TEAM_CONTENT_ADMIN),
            ];
            for (on, bit) in flags {
                if on {
                    bits |= bit;
                }
            }
        }
        if let Some(slot) = self.teams.get_mut(team.get()) {
            *slot = bits;
        }
        bits
    }

    /// The effective role on an active board, channel by channel as `channels::evaluate`
    /// gives it to a member of the organization with no link.
    fn role(
        &mut self,
        facts: &OrgFacts,
        core: &BoardCore,
        b: BoardIx,
        in_direct: bool,
    ) -> Option<BoardRole> {
        if core.owner == self.user {
            return Some(BoardRole::Owner);
        }
        let team = self.team_facts(facts, core.team);
        let coowners_on = team & COOWNERS_ON != 0;
        let cap = |role: BoardRole| {
            if role == BoardRole::Coowner && !coowners_on {
                BoardRole::Editor
            } else {
                role
            }
        };
        let mut best: Option<BoardRole> = None;
        let board = || self.state.board(b);
        if in_direct && let Some(granted) = board().and_then(|x| x.grant(Grantee::User(self.user)))
        {
            best = best.max(Some(cap(granted)));
        }
        if core.group_grants
            && !self.u.groups.is_empty()
            && let Some(x) = board()
        {
            for (g, granted) in x.group_grants() {
                if self.u.groups.binary_search(&g).is_ok() {
                    best = best.max(Some(cap(granted)));
                }
            }
        }
        if !facts.guest && team & MEMBER != 0 && team & TEAM_SHARING != 0 {
            let access = if core.team_access == Access::None && !facts.team_sharing_optional {
                Access::Editor
            } else {
                core.team_access
            };
            best = best.max(access.role());
        }
        if let Some(p) = core.project
            && facts.projects
        {
            if let Some(project_role) = lookup(&self.u.projects, &p) {
                best = best.max(Some(cap(project_role.min(BoardRole::Coowner))));
            }
            if !self.u.groups.is_empty()
                && let Some(x) = self.state.project(p)
            {
                for (g, project_role) in &x.groups {
                    if self.u.groups.binary_search(g).is_ok() {
                        best = best.max(Some(cap((*project_role).min(BoardRole::Coowner))));
                    }
                }
            }
        }
        if !facts.guest && facts.company_sharing && team & COMPANY_SHARING != 0 {
            best = best.max(core.company_access.role());
        }
        if facts.full_member
            && facts.admin_roles
            && (facts.admin_everywhere || team & TEAM_CONTENT_ADMIN != 0)
        {
            best = best.max(Some(BoardRole::Editor));
        }
        best
    }
}

impl Iterator for Reach<'_> {
    type Item = BoardAccess;

    fn next(&mut self) -> Option<BoardAccess> {
        loop {
            let b = self.next_candidate()?;
            if let Some(found) = self.decide_one(b) {
                return Some(found);
            }
        }
    }
}
