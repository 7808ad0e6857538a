//! What an organization's directory says of a member (SCIM's attributes that Easel holds
//! per membership): set by whoever may edit users there.

use super::exec::{Exec, Step, refusal};
use crate::codes::Code;
use crate::event::Event;
use crate::model::{Profile, ProfileFields};
use crate::request::Target;

/// The most characters of one profile attribute.
pub const MAX_PROFILE_CHARS: usize = 256;

pub(super) fn set_member_profile(
    x: &mut Exec,
    org: &str,
    user: &str,
    fields: &ProfileFields,
) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    x.require("users.edit", Target::Org(o))?;
    for (name, value) in fields.texts() {
        let Some(value) = value else { continue };
        if value.chars().count() > MAX_PROFILE_CHARS || value.chars().any(char::is_control) {
            return Err(refusal(
                Code::RequestInvalidParameter,
                format!("`{name}` must be at most {MAX_PROFILE_CHARS} characters of text"),
            ));
        }
    }
    let profiles = x.state.org(o).map(|org| &org.profiles);
    if let Some(external) = fields.external_id.as_deref() {
        let taken = profiles.is_some_and(|p| {
            p.iter().any(|(other, profile)| {
                *other != u && profile.fields.external_id.as_deref() == Some(external)
            })
        });
        if taken {
            return Err(refusal(
                Code::RequestConflict,
                format!("the external id `{external}` is another member's"),
            ));
        }
    }
    let before = profiles.and_then(|p| p.get(&u));
    let created_at = before.map_or(x.now, |p| p.created_at);
    // One audit change per attribute that changed.
    let empty = ProfileFields::default();
    let old = before.map_or(&empty, |p| &p.fields).texts();
    for ((name, was), (_, now)) in old.into_iter().zip(fields.texts()) {
        x.change(
            format!("{name} of {user}"),
            was.map(str::to_string),
            now.map(str::to_string),
        );
    }
    x.emit(Event::MemberProfileSet {
        org: org.to_string(),
        user: user.to_string(),
        profile: Profile {
            fields: fields.clone(),
            created_at,
            modified_at: x.now,
        },
    });
    Ok(())
}
