//! The frame every page shares (head, skip link, header with the viewer and sign-out, the
//! organization's sections) and the small pieces pages build with: notices, refusals,
//! controls shown disabled with the engine's reason.

use maud::{DOCTYPE, Markup, html};

use super::Viewer;
use super::forms::csrf_field;

/// The sections of an organization's admin pages, each at `/ui/orgs/{org}/{slug}`: the
/// navigation and the routes derive from this one list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// What the organization is, and where to go.
    Overview,
    /// Company settings, grouped as the company's admins know them.
    Settings,
    /// Teams, and each team's settings.
    Teams,
    /// Members: filter, deactivate, remove.
    Members,
    /// Admin roles and the privilege table.
    AdminRoles,
    /// User groups.
    Groups,
    /// Invitations.
    Invitations,
    /// The audit log.
    Audit,
    /// Trash and legal holds.
    Trash,
    /// Apps and the app allowlist.
    Apps,
    /// The access explorer.
    Explorer,
}

impl Section {
    /// Every section, in navigation order.
    pub const ALL: [Section; 11] = [
        Section::Overview,
        Section::Settings,
        Section::Teams,
        Section::Members,
        Section::AdminRoles,
        Section::Groups,
        Section::Invitations,
        Section::Audit,
        Section::Trash,
        Section::Apps,
        Section::Explorer,
    ];

    /// The path segment after `/ui/orgs/{org}` (empty for the overview).
    pub const fn slug(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Settings => "settings",
            Section::Teams => "teams",
            Section::Members => "members",
            Section::AdminRoles => "admin-roles",
            Section::Groups => "groups",
            Section::Invitations => "invitations",
            Section::Audit => "audit",
            Section::Trash => "trash",
            Section::Apps => "apps",
            Section::Explorer => "explorer",
        }
    }

    /// Its name in the navigation.
    pub const fn title(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Settings => "Company settings",
            Section::Teams => "Teams",
            Section::Members => "Members",
            Section::AdminRoles => "Admin roles",
            Section::Groups => "User groups",
            Section::Invitations => "Invitations",
            Section::Audit => "Audit log",
            Section::Trash => "Trash",
            Section::Apps => "Apps",
            Section::Explorer => "Access explorer",
        }
    }

    /// The section's address in organization `org`.
    pub fn href(self, org: &str) -> String {
        match self.slug() {
            "" => format!("/ui/orgs/{org}"),
            slug => format!("/ui/orgs/{org}/{slug}"),
        }
    }
}

/// Where a page stands, which decides its navigation.
#[derive(Clone, Copy, Debug)]
pub enum Place<'a> {
    /// The viewer's start page.
    Home,
    /// A board's pages.
    Board,
    /// An organization's admin pages, in one section.
    Org {
        /// The organization's id.
        id: &'a str,
        /// Its name.
        name: &'a str,
        /// The section shown.
        section: Section,
    },
    /// A page shown inside a host product's frame: no navigation around it.
    Embedded,
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Easel" }
            link rel="stylesheet" href="/ui/assets/console.css";
            script src="/ui/assets/console.js" defer {}
        }
    }
}

/// A page for a signed-in viewer.
pub fn page(title: &str, viewer: &Viewer, place: Place<'_>, body: Markup) -> Markup {
    let embedded = matches!(place, Place::Embedded);
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body class=[embedded.then_some("embedded")] {
                a class="skip" href="#main" { "Skip to content" }
                @if !embedded {
                    header class="top" {
                        a class="brand" href="/ui/" { "Easel" }
                        div class="who" {
                            span { "Signed in as " strong { (viewer.name) } }
                            form method="post" action="/ui/sign-out" class="inline" {
                                (csrf_field(viewer))
                                button type="submit" class="link" { "Sign out" }
                            }
                        }
                    }
                }
                div class="frame" {
                    @if let Place::Org { id, name, section } = place {
                        nav class="sections" aria-label=(format!("{name} administration")) {
                            p class="org-name" { (name) }
                            ul {
                                @for s in Section::ALL {
                                    li {
                                        a href=(s.href(id)) aria-current=[(s == section).then_some("page")] { (s.title()) }
                                    }
                                }
                            }
                        }
                    }
                    main id="main" tabindex="-1" {
                        h1 { (title) }
                        (body)
                    }
                }
            }
        }
    }
}

/// A page for anyone, signed in or not (sign-in, failures).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="top" { a class="brand" href="/ui/" { "Easel" } }
                div class="frame" {
                    main id="main" tabindex="-1" {
                        h1 { (title) }
                        (body)
                    }
                }
            }
        }
    }
}

/// A notice that something was done (after a form's redirect).
pub fn notice(text: &str) -> Markup {
    html! { p class="notice" role="status" { (text) } }
}

/// A refusal, with the engine's message (and its reason code, for support).
pub fn refusal(message: &str, code: Option<&str>) -> Markup {
    html! {
        p class="refusal" role="alert" {
            (message)
            @if let Some(c) = code { " " code { (c) } }
        }
    }
}

/// The notice a page's `done` query names, from the page's own table of notices: only
/// texts the page wrote are ever shown, whatever the address says.
pub fn done_notice(done: Option<&str>, table: &[(&str, &str)]) -> Markup {
    let text = done.and_then(|d| table.iter().find(|(k, _)| *k == d).map(|(_, t)| *t));
    html! { @if let Some(t) = text { (notice(t)) } }
}

/// A submit button, or, when the engine refused the action, the same button disabled with
/// the refusal's message beside it.
pub fn button(label: &str, refused: Option<&str>) -> Markup {
    match refused {
        None => html! { button type="submit" { (label) } },
        Some(why) => html! {
            button type="submit" disabled title=(why) { (label) }
            span class="why" { (why) }
        },
    }
}
