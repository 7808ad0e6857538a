//! What an organization's directory says of a member (SCIM's attributes that Easel holds
//! per membership): set by whoever may edit users there.

use super::exec::{Exec, Step, refusal};
use crate::codes::Code;
use crate::event::Event;
use crate::model::{MAX_PROFILE_EMAILS, Profile, ProfileFields};
use crate::request::Target;
use crate::state::valid_email;

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
    if fields.emails.len() > MAX_PROFILE_EMAILS {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("at most {MAX_PROFILE_EMAILS} `emails`"),
        ));
    }
    for email in &fields.emails {
        let kind = email.kind.as_deref().unwrap_or_default();
        let long =
            |t: &str| t.chars().count() > MAX_PROFILE_CHARS || t.chars().any(char::is_control);
        if email.value.trim().is_empty() || long(&email.value) || long(kind) {
            return Err(refusal(
                Code::RequestInvalidParameter,
                format!("each of `emails` is 1 to {MAX_PROFILE_CHARS} characters of text"),
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
    let was = before.map_or(&empty, |p| &p.fields);
    let addresses = |f: &ProfileFields| {
        (!f.emails.is_empty()).then(|| {
            let list: Vec<&str> = f.emails.iter().map(|e| e.value.as_str()).collect();
            list.join(", ")
        })
    };
    x.change(
        format!("emails of {user}"),
        addresses(was),
        addresses(fields),
    );
    let old = was.texts();
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

/// Changes a member's sign-in address, as the organization's directory says (SCIM's
/// `userName`). An identity that belongs to another organization too is not this
/// organization's to rename: its address changes only where it has no other home.
pub(super) fn change_email(x: &mut Exec, org: &str, user: &str, email: &str) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    x.require("users.edit", Target::Org(o))?;
    let email = email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{email}` is not an email address"),
        ));
    }
    let before = x.state.user(u).map(|u| u.email.to_string());
    if before.as_deref() == Some(email.as_str()) {
        return Ok(());
    }
    if x.state.user(u).is_some_and(|usr| usr.orgs.len() > 1) {
        return Err(refusal(
            Code::PolicyIdentityShared,
            "the user belongs to another organization too; their address is not this organization's to change",
        ));
    }
    if x.state.find_email(&email).is_some() {
        return Err(refusal(
            Code::RequestConflict,
            format!("`{email}` is already registered"),
        ));
    }
    let allowed = x.state.org(o).is_none_or(|org| {
        crate::settings::email_allowed(
            crate::settings::company_in_force(org.plan, &org.settings),
            None,
            &email,
        )
    });
    if !allowed {
        return Err(refusal(
            Code::PolicyDomainNotAllowed,
            format!("`{email}` is outside the allowed domains"),
        ));
    }
    x.change(format!("email of {user}"), before, Some(email.clone()));
    x.emit(Event::UserEmailSet {
        user: user.to_string(),
        email,
    });
    Ok(())
}
