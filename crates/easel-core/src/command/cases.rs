//! Legal cases and their holds: finding a live case, editing and deleting cases, and
//! editing holds. Every change needs `org.legal_holds` in the case's organization.

use super::exec::{Exec, Step, refusal, text};
use crate::codes::Code;
use crate::event::Event;
use crate::ids::CaseIx;
use crate::request::Target;

/// The case `id`, live (a deleted case is no case), once the actor may manage cases in
/// its organization.
pub(super) fn case(x: &mut Exec, id: &str) -> Step<CaseIx> {
    let c = x
        .state
        .find_case(id)
        .filter(|c| x.state.case(*c).is_some_and(|c| !c.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no case `{id}`")))?;
    let o = x
        .state
        .case(c)
        .map(|c| c.org)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no case `{id}`")))?;
    x.org = Some(o);
    x.target = format!("case:{id}");
    x.require("org.legal_holds", Target::Org(o))?;
    Ok(c)
}

/// The users a hold names: at least one, each a member of the case's organization.
pub(super) fn hold_users(x: &Exec, users: &[String]) -> Step {
    if users.is_empty() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a hold needs at least one user",
        ));
    }
    for u in users {
        x.member(u)?;
    }
    Ok(())
}

pub(super) fn edit_case(x: &mut Exec, id: &str, name: &str, description: &str) -> Step {
    let c = case(x, id)?;
    text("name", name, false)?;
    text("description", description, true)?;
    let before = x
        .state
        .case(c)
        .map(|c| (c.name.clone(), c.description.clone()));
    if let Some((old_name, old_description)) = before {
        x.change("name", Some(old_name), Some(name.to_string()));
        x.change(
            "description",
            Some(old_description),
            Some(description.to_string()),
        );
    }
    x.emit(Event::CaseEdited {
        case: id.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        by: x.actor_id().map(str::to_string),
        at: x.now,
    });
    Ok(())
}

pub(super) fn delete_case(x: &mut Exec, id: &str) -> Step {
    let c = case(x, id)?;
    let name = x.state.case(c).map(|c| c.name.clone());
    x.change("case", name, None);
    x.emit(Event::CaseDeleted {
        case: id.to_string(),
    });
    Ok(())
}

pub(super) fn edit_hold(
    x: &mut Exec,
    id: &str,
    hold: &str,
    name: &str,
    description: &str,
    users: &[String],
) -> Step {
    let c = case(x, id)?;
    let before = x
        .state
        .case(c)
        .and_then(|c| c.holds.iter().find(|h| &*h.id == hold))
        .map(|h| (h.released, h.users.clone()));
    let before_users = match before {
        None => return Err(refusal(Code::RequestNotFound, format!("no hold `{hold}`"))),
        Some((true, _)) => {
            return Err(refusal(
                Code::RequestConflict,
                format!("hold `{hold}` is released"),
            ));
        }
        Some((false, users)) => users,
    };
    text("name", name, true)?;
    text("description", description, true)?;
    hold_users(x, users)?;
    let names: Vec<String> = before_users
        .iter()
        .filter_map(|u| x.state.user(*u).map(|u| u.id.to_string()))
        .collect();
    x.change(
        format!("hold {hold}"),
        Some(names.join(", ")),
        Some(users.join(", ")),
    );
    x.emit(Event::HoldEdited {
        case: id.to_string(),
        hold: hold.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        users: users.to_vec(),
        by: x.actor_id().map(str::to_string),
        at: x.now,
    });
    Ok(())
}
