//! Every reason code the engine emits: stable, documented, machine-readable.
//!
//! `docs/reason-codes.md` is generated from this table (a test keeps it current), so a code
//! cannot be emitted without being documented. Codes never change meaning.

use std::fmt;

/// The layer of MODEL.md §2 that refused, plus `state` for the board's life cycle and
/// `request` for questions that cannot be asked at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// The question is malformed or names what does not exist.
    Request,
    /// The token or session, and the user behind it.
    Credential,
    /// The scopes of an app token.
    Scope,
    /// The organization's plan.
    Plan,
    /// The target's life-cycle state (trash, legal hold, retention).
    State,
    /// Roles and privileges.
    Authority,
    /// Company and team settings.
    Policy,
}

impl Layer {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Layer::Request => "request",
            Layer::Credential => "credential",
            Layer::Scope => "scope",
            Layer::Plan => "plan",
            Layer::State => "state",
            Layer::Authority => "authority",
            Layer::Policy => "policy",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares the code table: variant, wire code, layer, meaning, example.
macro_rules! codes {
    ($($variant:ident = $code:literal, $layer:ident, $meaning:literal, $example:literal;)+) => {
        /// A stable reason code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code { $(#[doc = $meaning] $variant,)+ }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The wire spelling, `layer.name`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),+ }
            }

            /// The layer the code belongs to.
            pub const fn layer(self) -> Layer {
                match self { $(Code::$variant => Layer::$layer),+ }
            }

            /// What the code means.
            pub const fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning),+ }
            }

            /// A situation that produces it.
            pub const fn example(self) -> &'static str {
                match self { $(Code::$variant => $example),+ }
            }

            /// The code for a wire spelling.
            pub fn parse(text: &str) -> Option<Code> {
                match text { $($code => Some(Code::$variant),)+ _ => None }
            }
        }
    };
}

codes! {
    RequestInvalidParameter = "request.invalid_parameter", Request,
        "a field of the question is malformed or out of range",
        "a check whose `role` is `superuser`";
    RequestNotFound = "request.not_found", Request,
        "an id in the question names nothing that exists (or a purged board)",
        "a check about board `brd_missing`";
    RequestUnknownAction = "request.unknown_action", Request,
        "the action is neither a capability, a privilege nor an engine action",
        "a check for `board.fly`";
    RequestUnsupportedTarget = "request.unsupported_target", Request,
        "the action does not apply to that kind of target",
        "`board.edit_content` asked about a team";
    RequestUnavailable = "request.unavailable", Request,
        "the store could not be reached or failed; nothing was changed, and the request may be retried",
        "a write while the PostgreSQL server is down";
    RequestCrossOrganization = "request.cross_organization", Request,
        "the question or command names entities of two organizations",
        "moving a board of Acme into a team of Globex";
    RequestConflict = "request.conflict", Request,
        "the change conflicts with what exists: an id or email already taken",
        "creating board `brd_1` when `brd_1` exists";
    RequestInvalidCursor = "request.invalid_cursor", Request,
        "the cursor was not issued by Easel for this list and this caller: forged, altered, malformed, or taken from another list or caller",
        "`GET /v2/boards?cursor=k1.brd_9`, a cursor Easel did not make";
    RequestInvalidJson = "request.invalid_json", Request,
        "the body is not JSON, or not the JSON the route takes (a missing field, a wrong type)",
        "a check whose body is `{\"subject\": 7}`";
    RequestUnsupportedMediaType = "request.unsupported_media_type", Request,
        "the body is not sent as `application/json`, or not in UTF-8",
        "a POST with `Content-Type: text/plain`";
    RequestMethodNotAllowed = "request.method_not_allowed", Request,
        "the path exists but not with that HTTP method",
        "`PUT /v1/check`";
    RequestTooLarge = "request.too_large", Request,
        "the body, batch or page asked for is over its limit",
        "a batch of 1,001 checks";
    RequestUriTooLong = "request.uri_too_long", Request,
        "the request's target (path and query) is longer than the server accepts",
        "a `GET` whose query string is 20,000 bytes";
    RequestHeadersTooLarge = "request.headers_too_large", Request,
        "the request's header fields together are larger than the server accepts",
        "a request carrying a 40,000-byte cookie";
    RequestRateLimited = "request.rate_limited", Request,
        "the server is at its limit of requests in flight; retry later",
        "the 1,025th concurrent request";
    RequestTimeout = "request.timeout", Request,
        "the request took longer than the server's request timeout; a write under way then may still complete, so read before retrying",
        "a request still running after 30 seconds";
    RequestStaleRevision = "request.stale_revision", Request,
        "the state did not reach the revision asked for (`consistency.atLeast`) in time",
        "a check at least as new as a revision no node has committed";
    RequestInternal = "request.internal", Request,
        "the server failed to answer: a fault of the server, not of the request; a write may have completed, so read before retrying",
        "an answer the server could not serialize";
    CredentialMissing = "credential.missing", Credential,
        "the route needs a bearer token and none was given",
        "`GET /v2/boards` without an `Authorization` header";

    CredentialInvalid = "credential.invalid", Credential,
        "the token or session is unknown",
        "a bearer token that was never issued";
    CredentialExpired = "credential.expired", Credential,
        "the token's expiry has passed",
        "an access token issued for an hour, used two hours later";
    CredentialRevoked = "credential.revoked", Credential,
        "the token was revoked, or its app was uninstalled or deleted",
        "a token of an app the team uninstalled";
    CredentialSessionEnded = "credential.session_ended", Credential,
        "the session was signed out or ended",
        "a session the user signed out of";
    CredentialSessionReset = "credential.session_reset", Credential,
        "an admin or an app with `sessions:delete` reset the user's sessions after this one began",
        "a laptop session after a user admin reset all of the user's sessions";
    CredentialSessionIdle = "credential.session_idle", Credential,
        "the session was idle longer than the company's `idle_session_timeout`",
        "a session last used 45 minutes ago with a 30-minute timeout";
    CredentialUserDeactivated = "credential.user_deactivated", Credential,
        "the user is deactivated, globally or in the organization asked about",
        "a user an admin deactivated yesterday";
    CredentialGuestInactive = "credential.guest_inactive", Credential,
        "a guest idle for 30 days while `auto_deactivate_guests` is on",
        "a guest last active 31 days ago";
    CredentialWrongSubject = "credential.wrong_subject", Credential,
        "the credential belongs to another user than the subject asked about",
        "a session of Ana used to ask what Ben may do";
    CredentialCrossOrganization = "credential.cross_organization", Credential,
        "the credential acts in another organization than the target's: an app token's installation, a session or personal token bound to its organization (the platform API answers such a target as unknown, 404)",
        "a session started by Acme's service used on a board of Globex";

    ScopeMissing = "scope.missing", Scope,
        "the app token carries none of the scopes that admit the action",
        "a token with only `boards:read` trying to edit a board";
    ScopePlan = "scope.plan", Scope,
        "the scope that would admit the action is not available on the organization's plan",
        "`auditlogs:read` on a business-plan organization";
    ScopeSurface = "scope.surface", Scope,
        "the scope that would admit the action is not honoured on the surface used",
        "`team:read` (Web SDK only) presented on the REST API";
    ScopeNotInstalled = "scope.not_installed", Scope,
        "the app named in the question has no active installation in the target's organization",
        "a check naming an app that the organization never installed";
    ScopeNotForApps = "scope.not_for_apps", Scope,
        "no scope admits the action: apps may never do it",
        "an app token trying to assign admin roles";

    PlanFeatureUnavailable = "plan.feature_unavailable", Plan,
        "the capability or feature does not exist on the organization's plan",
        "setting a board password on the free plan";

    StateTrashed = "state.trashed", State,
        "the board is in the trash: only its owner and trash viewers see it, and only restore and purge work",
        "an editor opening a board its owner deleted";
    StateNotTrashed = "state.not_trashed", State,
        "restore or purge asked for a board that is not in the trash",
        "restoring an active board";
    StateRestoreWindowPassed = "state.restore_window_passed", State,
        "the board has been in the trash longer than the organization keeps boards restorable",
        "restoring a board trashed 45 days ago with a 30-day retention";
    StateNotPending = "state.not_pending", State,
        "the request or invitation was already decided",
        "approving an access request that was already denied";
    StateExpired = "state.expired", State,
        "the invitation is past its expiry",
        "accepting an invitation sent 20 days ago with a 14-day lifetime";
    StateLegalHold = "state.legal_hold", State,
        "the board is under a legal hold and cannot be purged",
        "purging a board whose owner is held in an open case";
    StateRetained = "state.retained", State,
        "the board is under a retention policy; purging it needs `trash.force_purge_retained`",
        "a company admin purging a retained board";

    AuthorityNoBoardRole = "authority.no_board_role", Authority,
        "no channel gives the user any role on the board",
        "a member of another team opening a private board";
    AuthorityRoleTooLow = "authority.role_too_low", Authority,
        "the user's role on the board is below what the action needs",
        "a commenter trying to edit";
    AuthorityMissingPrivilege = "authority.missing_privilege", Authority,
        "the action needs an admin privilege the user does not hold there",
        "a user admin trying to view the audit log";
    AuthorityNotInOrganization = "authority.not_in_organization", Authority,
        "the user is not a member or guest of the target's organization",
        "a user of Globex asking about Acme's teams";
    AuthorityAnonymous = "authority.anonymous", Authority,
        "the action is for registered users and the subject is an anonymous visitor",
        "a public-link visitor joining a vote";
    AuthorityGuest = "authority.guest", Authority,
        "guests may not do this (create, join teams, reach team or company content)",
        "a guest trying to create a board";
    AuthorityNotTeamMember = "authority.not_team_member", Authority,
        "the action needs membership of the board's (or the destination) team",
        "an editor outside the board's team trying to share it";
    AuthorityNotProjectMember = "authority.not_project_member", Authority,
        "the action needs membership of the project",
        "a team member creating a board in a project they are not in";
    AuthorityRoleCeiling = "authority.role_ceiling", Authority,
        "no one may grant a role above their own",
        "a commenter-level sharer granting editor";
    AuthorityOwnerOnly = "authority.owner_only", Authority,
        "only the board owner may do this (grant co-owner)",
        "a co-owner making someone else co-owner";
    AuthorityAlreadyHasAccess = "authority.already_has_access", Authority,
        "an access request for a role the user already has",
        "an editor requesting edit access";
    AuthorityTransferTargetIneligible = "authority.transfer_target_ineligible", Authority,
        "the new owner must be a member of the board's team and a directly invited collaborator",
        "transferring a board to a team member who was never invited to it";
    AuthorityLastCompanyAdmin = "authority.last_company_admin", Authority,
        "the change would leave the organization without a company admin",
        "removing the company admin role from its only holder";
    AuthorityLastTeamAdmin = "authority.last_team_admin", Authority,
        "the change would leave a team with members and no team admin",
        "deprovisioning the only admin of a team that has other members";
    AuthorityNoSuccessor = "authority.no_successor", Authority,
        "no one can take over what the removed user owns: name a successor",
        "removing the account owner, or a board owner whose team has no other admin and whose organization has no other owner, without naming a successor";
    PolicyIdentityShared = "policy.identity_shared", Policy,
        "the identity belongs to another organization too, so this one does not change it",
        "an identity provider renaming the sign-in address of a user who is also a guest elsewhere";
    AuthorityNotAuthor = "authority.not_author", Authority,
        "only the author of a comment changes it",
        "the board owner rewording someone else's comment";
    AuthorityNotInvitee = "authority.not_invitee", Authority,
        "the invitation is for another email than the user accepting it (no longer answered: another's invitation is answered as unknown, `request.not_found`)",
        "Ben accepting an invitation sent to ana@acme.test";
    AuthorityLinkInvalid = "authority.link_invalid", Authority,
        "the link token presented is not the board's current link",
        "a link from before the owner reset it";
    AuthorityPasswordRequired = "authority.password_required", Authority,
        "the board has a password and the link visitor gave none",
        "opening a password-protected link without the password";
    AuthorityPasswordIncorrect = "authority.password_incorrect", Authority,
        "the password given with the link is wrong",
        "a mistyped board password";

    PolicyDomainNotAllowed = "policy.domain_not_allowed", Policy,
        "the invitee's email domain is outside the company or team allowlist",
        "inviting `x@gmail.com` when only `acme.test` is allowed";
    PolicyInviteNotAllowed = "policy.invite_not_allowed", Policy,
        "`who_can_invite` does not let this user invite new people",
        "a member inviting when only company admins may";
    PolicyGuestInvitesDisabled = "policy.guest_invites_disabled", Policy,
        "the team's `guest_invites` is off, so its boards cannot be shared with guests",
        "sharing a board with a guest in a team that forbids guests";
    PolicyPublicLinkDisabled = "policy.public_link_disabled", Policy,
        "`public_link_sharing` of the company or team suspends or caps the link",
        "an edit link after the company lowered public links to view/comment";
    PolicyCoownersDisabled = "policy.coowners_disabled", Policy,
        "the co-owner role is off (company or team), so co-owners act as editors",
        "a co-owner setting a password while `coowner_role` is off";
    PolicyTeamSharingDisabled = "policy.team_sharing_disabled", Policy,
        "`team_and_company_sharing.team` is off, suspending the board's team access",
        "a team member relying on team access after the team admin turned it off";
    PolicyCompanySharingDisabled = "policy.company_sharing_disabled", Policy,
        "`team_and_company_sharing.company` is off, suspending the board's company access",
        "a company member relying on company access after the team admin turned it off";
    PolicySharingRestricted = "policy.sharing_restricted", Policy,
        "the board's `sharing_access` is `owner_and_coowners`, so editors may not share",
        "an editor inviting someone to a board whose owner restricted sharing";
    PolicyCopyRestricted = "policy.copy_restricted", Policy,
        "the board's `copy_access` or the team's `copy_content` forbids copying for this user",
        "a viewer copying from a board set to editors-only copying";
    PolicyMovingDisabled = "policy.moving_disabled", Policy,
        "`board_moving` is off for the source or destination team",
        "moving a board out of a team that forbids moving";
    PolicyCreateNotAllowed = "policy.create_not_allowed", Policy,
        "`who_can_create` does not let this user create that asset in the team",
        "a member creating a board where only admins may";
    PolicyTeamNotDiscoverable = "policy.team_not_discoverable", Policy,
        "the team is hidden (by its discovery or by company `team_privacy`)",
        "joining a hidden team without an invitation";
    PolicyJoinNeedsApproval = "policy.join_needs_approval", Policy,
        "the team takes join requests; a team admin must approve",
        "joining a `request_to_join` team directly";
    PolicyAppNotAllowed = "policy.app_not_allowed", Policy,
        "the company's application allowlist is on and does not list the app",
        "installing an app the company has not allowed";
    PolicyClassificationOff = "policy.classification_off", Policy,
        "board classification is off for the company",
        "setting a label when `board_classification` is off";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The reference page `docs/reason-codes.md`, generated from the table above.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Reason codes\n\n\
         Every refusal Easel gives carries one of these codes, with the layer that refused \
         (MODEL.md §2; `state` is the board's life cycle, `request` a question that cannot be \
         asked). Codes are stable: a code never changes meaning, and new situations get new \
         codes.\n\n\
         This page is generated from `crates/easel-core/src/codes.rs`; a test fails when the \
         two differ. Regenerate it with `EASEL_BLESS=1 cargo test -p easel-core --test docs`.\n",
    );
    let mut layer = None;
    for code in Code::ALL {
        if layer != Some(code.layer()) {
            layer = Some(code.layer());
            out.push_str(&format!(
                "\n## {}\n\n| code | meaning | example |\n| --- | --- | --- |\n",
                code.layer()
            ));
        }
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            code.meaning(),
            code.example()
        ));
    }
    out
}
