//! What an organization's identity provider says of a member (SCIM's user attributes that
//! Easel does not otherwise hold): kept per membership, so that one organization's
//! directory never rewrites what another organization sees.

use serde::{Deserialize, Serialize};

use crate::time::Time;

/// The attributes an identity provider sets, besides email, name, licence, status and
/// roles, which Easel holds already.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileFields {
    /// The identity provider's own id for the person, unique in the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// The family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The whole name as the directory formats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted_name: Option<String>,
    /// The name shown in this organization, when the directory sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The preferred language (`en_US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    /// Enterprise extension: employee number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_number: Option<String>,
    /// Enterprise extension: cost center.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_center: Option<String>,
    /// Enterprise extension: organization (the person's, as the directory names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Enterprise extension: division.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
    /// Enterprise extension: department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Enterprise extension: the manager's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<String>,
    /// Enterprise extension: the manager's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_name: Option<String>,
    /// The addresses the directory lists (the sign-in address is the user's email).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ProfileEmail>,
}

/// An address the directory lists for a member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileEmail {
    /// The address, as the directory gives it.
    pub value: String,
    /// Its label (`work`, `home`, `other`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether the directory marks it primary.
    #[serde(default)]
    pub primary: bool,
}

/// The most addresses a profile lists.
pub const MAX_PROFILE_EMAILS: usize = 20;

impl ProfileFields {
    /// Every single text the fields hold, with its name, for validation and the audit
    /// record (the addresses are checked apart).
    pub fn texts(&self) -> [(&'static str, Option<&str>); 13] {
        [
            ("externalId", self.external_id.as_deref()),
            ("name.formatted", self.formatted_name.as_deref()),
            ("name.givenName", self.given_name.as_deref()),
            ("name.familyName", self.family_name.as_deref()),
            ("displayName", self.display_name.as_deref()),
            ("preferredLanguage", self.preferred_language.as_deref()),
            ("employeeNumber", self.employee_number.as_deref()),
            ("costCenter", self.cost_center.as_deref()),
            ("organization", self.organization.as_deref()),
            ("division", self.division.as_deref()),
            ("department", self.department.as_deref()),
            ("manager.value", self.manager_id.as_deref()),
            ("manager.displayName", self.manager_name.as_deref()),
        ]
    }
}

/// A member's profile in one organization, with when the directory made and last changed
/// it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The attributes.
    #[serde(flatten)]
    pub fields: ProfileFields,
    /// When the membership was provisioned or the profile first set.
    pub created_at: Time,
    /// When the profile, or the membership through the directory, last changed.
    pub modified_at: Time,
}
