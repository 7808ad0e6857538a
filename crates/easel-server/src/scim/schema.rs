//! The attributes Easel's SCIM resources have, declared once (RFC 7643 §7): the `/Schemas`
//! documents are generated from these declarations, and routes and the filter checker ask
//! them what an attribute is (its type, case sensitivity, mutability).

/// The core User schema.
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema (an Easel team).
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The enterprise User extension.
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// An attribute's data type (RFC 7643 §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number.
    Decimal,
    /// A whole number.
    Integer,
    /// An `xsd:dateTime` instant.
    DateTime,
    /// Base64 bytes.
    Binary,
    /// A URI naming a resource or something outside.
    Reference,
    /// An object of sub-attributes.
    Complex,
}

impl AttrType {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Boolean => "boolean",
            AttrType::Decimal => "decimal",
            AttrType::Integer => "integer",
            AttrType::DateTime => "dateTime",
            AttrType::Binary => "binary",
            AttrType::Reference => "reference",
            AttrType::Complex => "complex",
        }
    }
}

/// When a client may write an attribute (RFC 7643 §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    /// Only the service provider writes it.
    ReadOnly,
    /// Clients may write it at any time.
    ReadWrite,
    /// Clients may set it once (on creation, or a value added to a list).
    Immutable,
    /// Clients may write it, and it is never returned.
    WriteOnly,
}

impl Mutability {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mutability::ReadOnly => "readOnly",
            Mutability::ReadWrite => "readWrite",
            Mutability::Immutable => "immutable",
            Mutability::WriteOnly => "writeOnly",
        }
    }
}

/// When an attribute is returned (RFC 7643 §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returned {
    /// In every answer, whatever `attributes`/`excludedAttributes` say.
    Always,
    /// Never.
    Never,
    /// Unless excluded, or unless `attributes` names others.
    Default,
    /// Only when `attributes` names it.
    Request,
}

impl Returned {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Returned::Always => "always",
            Returned::Never => "never",
            Returned::Default => "default",
            Returned::Request => "request",
        }
    }
}

/// How the service provider keeps an attribute's values unique (RFC 7643 §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uniqueness {
    /// Values may repeat.
    None,
    /// Unique among this service provider's resources (for Easel: the organization).
    Server,
    /// Unique everywhere.
    Global,
}

impl Uniqueness {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Uniqueness::None => "none",
            Uniqueness::Server => "server",
            Uniqueness::Global => "global",
        }
    }
}

/// One attribute's definition: the RFC 7643 §7 characteristics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrDef {
    /// The name, in its canonical case.
    pub name: &'static str,
    /// The data type (`type`).
    pub kind: AttrType,
    /// Whether the value is a list (`multiValued`).
    pub multi_valued: bool,
    /// What it is, for people.
    pub description: &'static str,
    /// Whether a resource must have it (`required`).
    pub required: bool,
    /// Whether its strings compare case-sensitively (`caseExact`).
    pub case_exact: bool,
    /// Who may write it and when.
    pub mutability: Mutability,
    /// When it is returned.
    pub returned: Returned,
    /// How its values are kept unique.
    pub uniqueness: Uniqueness,
    /// The sub-attributes of a complex attribute.
    pub sub_attributes: &'static [AttrDef],
    /// Suggested values (`canonicalValues`).
    pub canonical_values: &'static [&'static str],
    /// For a reference: the resource types or `external`/`uri` it may name.
    pub reference_types: &'static [&'static str],
}

impl AttrDef {
    /// A single-valued, optional, case-insensitive, read-write attribute of a type:
    /// RFC 7643 §2.2's defaults.
    const fn of(kind: AttrType, name: &'static str, description: &'static str) -> AttrDef {
        AttrDef {
            name,
            kind,
            multi_valued: false,
            description,
            required: false,
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            sub_attributes: &[],
            canonical_values: &[],
            reference_types: &[],
        }
    }
    const fn string(name: &'static str, description: &'static str) -> AttrDef {
        AttrDef::of(AttrType::String, name, description)
    }
    const fn boolean(name: &'static str, description: &'static str) -> AttrDef {
        AttrDef::of(AttrType::Boolean, name, description)
    }
    const fn date_time(name: &'static str, description: &'static str) -> AttrDef {
        AttrDef::of(AttrType::DateTime, name, description)
    }
    const fn reference(
        name: &'static str,
        types: &'static [&'static str],
        description: &'static str,
    ) -> AttrDef {
        let mut a = AttrDef::of(AttrType::Reference, name, description);
        a.reference_types = types;
        // RFC 7643 §2.3.7: references are case exact.
        a.case_exact = true;
        a
    }
    const fn complex(
        name: &'static str,
        sub: &'static [AttrDef],
        description: &'static str,
    ) -> AttrDef {
        let mut a = AttrDef::of(AttrType::Complex, name, description);
        a.sub_attributes = sub;
        a
    }
    const fn multi(mut self) -> AttrDef {
        self.multi_valued = true;
        self
    }
    const fn required(mut self) -> AttrDef {
        self.required = true;
        self
    }
    const fn case_exact(mut self) -> AttrDef {
        self.case_exact = true;
        self
    }
    const fn mutability(mut self, m: Mutability) -> AttrDef {
        self.mutability = m;
        self
    }
    const fn read_only(self) -> AttrDef {
        self.mutability(Mutability::ReadOnly)
    }
    const fn returned(mut self, r: Returned) -> AttrDef {
        self.returned = r;
        self
    }
    const fn unique(mut self) -> AttrDef {
        self.uniqueness = Uniqueness::Server;
        self
    }
    const fn canonical(mut self, values: &'static [&'static str]) -> AttrDef {
        self.canonical_values = values;
        self
    }

    /// A sub-attribute by name, case-insensitively (RFC 7643 §2.1).
    pub fn sub_attribute(&self, name: &str) -> Option<&'static AttrDef> {
        self.sub_attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// A schema: its URI, name, description and attributes.
#[derive(Clone, Copy, Debug)]
pub struct SchemaDef {
    /// The schema URI.
    pub id: &'static str,
    /// Its short name.
    pub name: &'static str,
    /// What it describes.
    pub description: &'static str,
    /// Its top-level attributes.
    pub attributes: &'static [AttrDef],
    /// Whether it extends a resource's schema rather than being one (then it has no
    /// common attributes of its own).
    pub extension: bool,
}

/// The licence types a `userType` names: Easel's licences, each of which round-trips.
pub const USER_TYPES: &[&str] = &["Full", "Occasional", "Free", "Free Restricted"];

/// `roles.type` for the one organization role every user has.
pub const ORGANIZATION_USER_ROLE: &str = "organization_user_role";
/// `roles.type` for an administrator role added to it.
pub const ORGANIZATION_ADMIN_ROLE: &str = "organization_admin_role";

const NAME: &[AttrDef] = &[
    AttrDef::string(
        "formatted",
        "The full name, formatted for display (at most 60 characters).",
    ),
    AttrDef::string("familyName", "The family name (last name)."),
    AttrDef::string("givenName", "The given name (first name)."),
];

const EMAILS: &[AttrDef] = &[
    AttrDef::string("value", "An email address of the user."),
    AttrDef::string("type", "What kind of address it is.").canonical(&["work", "home", "other"]),
    AttrDef::boolean(
        "primary",
        "Whether this is the primary address; at most one is.",
    ),
];

const ROLES: &[AttrDef] = &[
    AttrDef::string(
        "value",
        "The role: ORGANIZATION_INTERNAL_ADMIN or ORGANIZATION_INTERNAL_USER for the \
         organization_user_role, Content Admin, User Admin or Security Admin for an \
         organization_admin_role.",
    )
    .case_exact()
    .canonical(&[
        "ORGANIZATION_INTERNAL_ADMIN",
        "ORGANIZATION_INTERNAL_USER",
        "Content Admin",
        "User Admin",
        "Security Admin",
    ]),
    AttrDef::string(
        "type",
        "organization_user_role (exactly one, the primary role) or \
         organization_admin_role.",
    )
    .case_exact()
    .canonical(&[ORGANIZATION_USER_ROLE, ORGANIZATION_ADMIN_ROLE]),
    AttrDef::boolean(
        "primary",
        "True for the organization_user_role, false for an admin role.",
    ),
];

const USER_GROUPS: &[AttrDef] = &[
    AttrDef::string("value", "The team's id.")
        .case_exact()
        .read_only(),
    AttrDef::reference("$ref", &["Group"], "The team's URI.").read_only(),
    AttrDef::string("display", "The team's name.").read_only(),
];

const USER_ATTRIBUTES: &[AttrDef] = &[
    AttrDef::string(
        "userName",
        "The user's email address, unique in the organization: how they sign in.",
    )
    .required()
    .unique(),
    AttrDef::complex("name", NAME, "The user's name."),
    AttrDef::string(
        "displayName",
        "The name shown for the user (at most 60 characters).",
    ),
    AttrDef::string(
        "userType",
        "The user's licence in the organization; the types an organization offers depend \
         on its plan.",
    )
    .case_exact()
    .canonical(USER_TYPES)
    // Every member has a licence, an active state and a primary role: a write that leaves
    // one out keeps it (a new user: Full, active, ORGANIZATION_INTERNAL_USER), and none can
    // be removed.
    .required(),
    AttrDef::boolean(
        "active",
        "Whether the user is active (false: deactivated, unable to sign in).",
    )
    .required(),
    AttrDef::complex("emails", EMAILS, "The user's email addresses.").multi(),
    AttrDef::complex(
        "roles",
        ROLES,
        "The user's organization role and admin roles: always one organization_user_role.",
    )
    .multi()
    .required(),
    AttrDef::complex(
        "groups",
        USER_GROUPS,
        "The teams the user is a member of; changed through the Groups.",
    )
    .multi()
    .read_only(),
];

const MANAGER: &[AttrDef] = &[
    AttrDef::string("value", "The manager's user id."),
    // The reference accepts the manager's name on writes (RFC 7643 has it read-only).
    AttrDef::string("displayName", "The manager's name (at most 60 characters)."),
];

const ENTERPRISE_ATTRIBUTES: &[AttrDef] = &[
    AttrDef::string(
        "employeeNumber",
        "The user's employee number (at most 20 characters).",
    ),
    AttrDef::string(
        "costCenter",
        "The user's cost center (at most 120 characters).",
    ),
    AttrDef::string(
        "organization",
        "The user's organization (at most 120 characters).",
    ),
    AttrDef::string("division", "The user's division (at most 120 characters)."),
    AttrDef::string(
        "department",
        "The user's department (at most 120 characters).",
    ),
    AttrDef::complex("manager", MANAGER, "The user's manager."),
];

const MEMBERS: &[AttrDef] = &[
    AttrDef::string("value", "The member's user id.")
        .case_exact()
        .mutability(Mutability::Immutable),
    AttrDef::reference("$ref", &["User"], "The member's URI.").mutability(Mutability::Immutable),
    AttrDef::string("type", "Always User: a team's members are users.")
        .mutability(Mutability::Immutable)
        .canonical(&["User"]),
    // Returned on request only: the reference's answers show members without it, and a
    // client that sends members and reads them back gets what it sent.
    AttrDef::string("display", "The member's name.")
        .read_only()
        .returned(Returned::Request),
];

const GROUP_ATTRIBUTES: &[AttrDef] = &[
    AttrDef::string("displayName", "The team's name.").required(),
    // Easel keeps no external id for a team. Declared here, read-only and never returned,
    // so that clients reading the schema know not to send one (RFC 7643 §8.7.1 leaves the
    // common attributes out of a schema's list; this one departs from the common
    // definition, which is what a schema is for).
    AttrDef::string(
        "externalId",
        "Not kept for teams: read-only, never returned.",
    )
    .case_exact()
    .read_only()
    .returned(Returned::Never),
    AttrDef::complex("members", MEMBERS, "The team's members.").multi(),
];

/// The attributes every resource has (RFC 7643 §3.1); not part of any schema's list.
const COMMON_ATTRIBUTES: &[AttrDef] = &[
    AttrDef::string("id", "The resource's id, assigned by Easel.")
        .case_exact()
        .read_only()
        .returned(Returned::Always)
        .unique(),
    AttrDef::string(
        "externalId",
        "The provisioning client's own id for the resource.",
    )
    .case_exact(),
    AttrDef::complex("meta", META, "The resource's metadata.").read_only(),
];

const META: &[AttrDef] = &[
    AttrDef::string("resourceType", "User or Group.")
        .case_exact()
        .read_only(),
    AttrDef::date_time("created", "When the resource was created.").read_only(),
    AttrDef::date_time("lastModified", "When the resource last changed.").read_only(),
    AttrDef::reference("location", &["uri"], "The resource's URI.").read_only(),
    AttrDef::string("version", "The resource's weak entity tag.")
        .case_exact()
        .read_only(),
];

/// The schemas Easel serves, in `/Schemas` order.
pub const SCHEMAS: &[SchemaDef] = &[
    SchemaDef {
        id: USER,
        name: "User",
        description: "A member of the organization.",
        attributes: USER_ATTRIBUTES,
        extension: false,
    },
    SchemaDef {
        id: GROUP,
        name: "Group",
        description: "A team of the organization. Easel keeps no externalId for teams.",
        attributes: GROUP_ATTRIBUTES,
        extension: false,
    },
    SchemaDef {
        id: ENTERPRISE_USER,
        name: "EnterpriseUser",
        description: "The enterprise attributes of a user.",
        attributes: ENTERPRISE_ATTRIBUTES,
        extension: true,
    },
];

/// A schema by its URI (case-insensitively: URNs compare so, RFC 8141).
pub fn schema_def(uri: &str) -> Option<&'static SchemaDef> {
    SCHEMAS.iter().find(|s| s.id.eq_ignore_ascii_case(uri))
}

/// The extensions a resource's core schema may carry.
pub fn extensions_of(core: &str) -> &'static [&'static str] {
    if core.eq_ignore_ascii_case(USER) {
        &[ENTERPRISE_USER]
    } else {
        &[]
    }
}

/// The top-level attributes of a schema, without the common ones.
pub fn attributes(schema_uri: &str) -> Option<&'static [AttrDef]> {
    schema_def(schema_uri).map(|s| s.attributes)
}

/// Splits a leading schema URN off an attribute path: `urn:…:User:userName` gives the User
/// schema and `userName`; a path naming just an extension (`urn:…:enterprise:2.0:User`)
/// gives the extension and an empty rest. Paths without a known URN give `None`.
pub fn split_urn(path: &str) -> Option<(&'static SchemaDef, &str)> {
    // The longest URN first: the enterprise URN does not begin with the core one, but a
    // future schema could begin with another.
    let mut found: Option<(&'static SchemaDef, &str)> = None;
    for schema in SCHEMAS {
        let n = schema.id.len();
        let Some(head) = path.get(..n) else { continue };
        if !head.eq_ignore_ascii_case(schema.id) {
            continue;
        }
        let rest = match path.get(n..) {
            Some("") => "",
            Some(r) => match r.strip_prefix(':') {
                Some(r) => r,
                None => continue,
            },
            None => continue,
        };
        if found.is_none_or(|(s, _)| s.id.len() < n) {
            found = Some((schema, rest));
        }
    }
    found
}

/// What an attribute path names, for a resource whose core schema is `schema_uri`: a dotted
/// path of at most two names (`userName`, `name.givenName`, `emails.value`, `meta.created`),
/// optionally behind a schema URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`).
/// Names compare case-insensitively. The common attributes (`id`, `externalId`, `meta`)
/// resolve for every schema. Value filters (`emails[type eq "work"]`) are the path parser's
/// to strip; a path holding one names nothing here.
pub fn attribute(schema_uri: &str, path: &str) -> Option<&'static AttrDef> {
    let core = schema_def(schema_uri)?;
    let (schema, rest) = match split_urn(path) {
        Some((s, rest)) => {
            // A URN must be the resource's own schema or one of its extensions.
            let allowed = s.id == core.id || extensions_of(core.id).contains(&s.id);
            if !allowed {
                return None;
            }
            (s, rest)
        }
        None => (core, path),
    };
    let mut names = rest.split('.');
    let first = names.next().filter(|n| !n.is_empty())?;
    let second = names.next();
    if names.next().is_some() {
        return None;
    }
    let top = schema
        .attributes
        .iter()
        .chain(if schema.id == core.id && !core.extension {
            COMMON_ATTRIBUTES
        } else {
            &[]
        })
        .find(|a| a.name.eq_ignore_ascii_case(first))?;
    match second {
        None => Some(top),
        Some(name) => top.sub_attribute(name),
    }
}

/// The definition of a common attribute (`id`, `externalId`, `meta`).
pub fn common_attribute(name: &str) -> Option<&'static AttrDef> {
    COMMON_ATTRIBUTES
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_and_sub_attributes_resolve_case_insensitively() {
        let a = attribute(USER, "USERNAME").map(|a| a.name);
        assert_eq!(a, Some("userName"));
        let given = attribute(USER, "name.GivenName");
        assert_eq!(
            given.map(|a| (a.name, a.kind)),
            Some(("givenName", AttrType::String))
        );
        let primary = attribute(USER, "emails.primary");
        assert_eq!(primary.map(|a| a.kind), Some(AttrType::Boolean));
        assert_eq!(
            attribute(USER, "emails").map(|a| a.multi_valued),
            Some(true)
        );
    }

    #[test]
    fn common_attributes_resolve_for_both_resources() {
        for schema in [USER, GROUP] {
            let id = attribute(schema, "id");
            assert_eq!(
                id.map(|a| (a.mutability, a.returned)),
                Some((Mutability::ReadOnly, Returned::Always))
            );
            assert_eq!(
                attribute(schema, "meta.lastModified").map(|a| a.kind),
                Some(AttrType::DateTime)
            );
            assert!(attribute(schema, "externalId").is_some_and(|a| a.case_exact));
        }
        // The extension's own schema has no common attributes.
        assert!(attribute(ENTERPRISE_USER, "id").is_none());
    }

    #[test]
    fn urn_prefixed_paths_resolve_in_their_schema() {
        let full = format!("{ENTERPRISE_USER}:manager.value");
        assert_eq!(attribute(USER, &full).map(|a| a.name), Some("value"));
        let dept = format!("{}:department", ENTERPRISE_USER.to_uppercase());
        assert_eq!(attribute(USER, &dept).map(|a| a.name), Some("department"));
        let core = format!("{USER}:userName");
        assert_eq!(attribute(USER, &core).map(|a| a.name), Some("userName"));
        // The enterprise extension is not a Group's.
        assert!(attribute(GROUP, &full).is_none());
        // Just the extension's URN names the extension, not an attribute.
        assert!(attribute(USER, ENTERPRISE_USER).is_none());
        assert_eq!(
            split_urn(ENTERPRISE_USER).map(|(s, r)| (s.id, r)),
            Some((ENTERPRISE_USER, ""))
        );
    }

    #[test]
    fn unknown_and_malformed_paths_resolve_to_nothing() {
        for path in [
            "",
            "nickName",
            "photos",
            "name.middleName",
            "name.givenName.x",
            ".",
            "name.",
            "emails[type eq \"work\"].value",
            "urn:ietf:params:scim:schemas:core:2.0:Userx:userName",
        ] {
            assert!(attribute(USER, path).is_none(), "{path}");
        }
        assert!(attribute("urn:nope", "userName").is_none());
    }

    #[test]
    fn read_only_attributes_are_marked() {
        assert_eq!(
            attribute(USER, "groups").map(|a| a.mutability),
            Some(Mutability::ReadOnly)
        );
        assert_eq!(
            attribute(GROUP, "members.value").map(|a| a.mutability),
            Some(Mutability::Immutable)
        );
        assert_eq!(
            attribute(GROUP, "members.display").map(|a| a.mutability),
            Some(Mutability::ReadOnly)
        );
        assert_eq!(
            attribute(USER, "userName").map(|a| a.mutability),
            Some(Mutability::ReadWrite)
        );
    }
}
