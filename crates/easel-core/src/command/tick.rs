//! The time-driven rules, as a command Easel issues itself: guests idle for 30 days are
//! deactivated (while `auto_deactivate_guests` is on), and boards trashed longer than the
//! organization's retention are purged, unless held or under a retention policy; pending
//! invitations past their expiry are marked expired.

use super::exec::{Exec, Step, refusal};
use crate::codes::Code;
use crate::event::Event;
use crate::model::{BoardState, RequestState, UserStatus};
use crate::roles::MemberKind;
use crate::settings::company_in_force;
use crate::time::DAY_MS;

/// How long a guest may be idle before automatic deactivation.
const GUEST_IDLE_DAYS: i64 = 30;

pub(super) fn tick(x: &mut Exec, org: &str) -> Step {
    let o = x.org(org)?;
    if !x.is_easel() {
        return Err(refusal(
            Code::AuthorityMissingPrivilege,
            "only Easel itself runs the time-driven rules",
        ));
    }
    let Some(organization) = x.state.org(o) else {
        return Err(refusal(Code::RequestNotFound, org.to_string()));
    };
    let settings = company_in_force(organization.plan, &organization.settings);
    let now = x.now;
    let mut events = Vec::new();
    let mut changes = Vec::new();
    if settings.auto_deactivate_guests {
        for &u in &organization.members {
            let Some(user) = x.state.user(u) else {
                continue;
            };
            let idle = user
                .last_active_at
                .is_some_and(|at| now.since(at) > GUEST_IDLE_DAYS * DAY_MS);
            let guest = user
                .membership(o)
                .is_some_and(|m| m.kind == MemberKind::Guest && m.active);
            if guest && idle && user.status == UserStatus::Active {
                changes.push((format!("active of {}", user.id), "true", "false"));
                events.push(Event::MembershipActiveSet {
                    org: org.to_string(),
                    user: user.id.to_string(),
                    active: false,
                });
            }
        }
    }
    let days = i64::from(organization.trash_retention_days);
    for &b in &organization.boards {
        let Some(board) = x.state.board(b) else {
            continue;
        };
        if let BoardState::Trashed(at) = board.state
            && now > at.plus_days(days)
            && !board.retained
            && !x.state.is_held(b)
        {
            changes.push((format!("state of {}", board.id), "trashed", "purged"));
            events.push(Event::BoardPurged {
                board: board.id.to_string(),
            });
        }
    }
    for (_, inv) in x.state.all_invitations() {
        if inv.org == o && inv.state == RequestState::Pending && now >= inv.expires_at {
            changes.push((format!("invitation {}", inv.id), "pending", "expired"));
            events.push(Event::InvitationStateSet {
                invitation: inv.id.to_string(),
                state: RequestState::Expired,
            });
        }
    }
    for (field, before, after) in changes {
        x.change(field, Some(before.into()), Some(after.into()));
    }
    for e in events {
        x.emit(e);
    }
    Ok(())
}
