//! Audit records: one per command, accepted or refused, written with the change it records.

use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::time::Time;

/// Whether the recorded attempt was allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AuditOutcome {
    /// The change was made.
    Allowed,
    /// The change was refused with this code.
    Refused {
        /// The reason code.
        #[serde(with = "code_str")]
        code: Code,
    },
}

/// One field that changed: its value before and after (`None` where it did not exist).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    /// What changed, for example `role of ben` or `settings.coowner_role`.
    pub field: String,
    /// The value before.
    pub before: Option<String>,
    /// The value after.
    pub after: Option<String>,
}

/// An audit event (MODEL.md §10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The organization.
    pub org: String,
    /// When.
    pub at: Time,
    /// Who acted (`None` for Easel's own time-driven changes).
    pub actor: Option<String>,
    /// The command's type name.
    pub action: String,
    /// What it acted on, as `kind:id`.
    pub target: String,
    /// Allowed or refused.
    pub outcome: AuditOutcome,
    /// What changed.
    pub changes: Vec<AuditChange>,
}

mod code_str {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::codes::Code;

    pub fn serialize<S: Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let text = String::deserialize(d)?;
        Code::parse(&text).ok_or_else(|| D::Error::custom(format!("unknown code `{text}`")))
    }
}
