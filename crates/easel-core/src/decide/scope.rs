//! Layer 2: the scopes of an app, for app tokens only.

use super::Ctx;
use super::credential::AppGrant;
use super::trace::{Outcome, Trace};
use crate::catalog::{Scope, ScopeSet};
use crate::codes::{Code, Layer};
use crate::decision::{Denial, Facts};

/// The scopes in force for the question: from an app token, or from an app and scopes
/// stated in the question. `None` when no app is involved (a user's own session or token).
pub(crate) fn app_scopes(
    ctx: &Ctx,
    from_token: Option<AppGrant>,
) -> Result<Option<ScopeSet>, Denial> {
    if let Some(grant) = from_token {
        let stated = ctx.req.scopes.unwrap_or(grant.scopes);
        return Ok(Some(stated.intersection(grant.scopes)));
    }
    match (ctx.req.app, ctx.req.scopes) {
        (None, None) => Ok(None),
        (None, Some(scopes)) => Ok(Some(scopes)),
        (Some(app), stated) => {
            // What the app's installations in the organization were granted bounds it.
            let installations = ctx
                .state
                .app(app)
                .map(|a| a.installations.as_slice())
                .unwrap_or_default();
            let granted = installations
                .iter()
                .filter_map(|i| ctx.state.installation(*i))
                .filter(|i| i.org == ctx.org_ix && i.active)
                .fold(None, |acc: Option<ScopeSet>, i| {
                    Some(acc.unwrap_or_default().union(i.granted))
                });
            match granted {
                None => Err(Denial::new(Code::ScopeNotInstalled, Facts::default())),
                Some(granted) => Ok(Some(stated.unwrap_or(granted).intersection(granted))),
            }
        }
    }
}

pub(crate) fn check<T: Trace>(
    ctx: &Ctx,
    scopes: Option<ScopeSet>,
    trace: &mut T,
) -> Result<(), Denial> {
    let Some(scopes) = scopes else {
        trace.layer(Layer::Scope, Outcome::NotApplicable, || {
            "no app is involved: a user's own credential has no scope layer".into()
        });
        return Ok(());
    };
    let action = ctx.req.action;
    let admitting = action.admitting_scopes();
    let facts = |scopes: ScopeSet| Facts {
        action: Some(action),
        scopes,
        ..Facts::default()
    };
    if admitting.is_empty() {
        return Err(Denial::new(Code::ScopeNotForApps, facts(ScopeSet::EMPTY)));
    }
    let surface = ctx.req.surface;
    let on_surface = |s: &Scope| s.surfaces().contains(surface);
    let available = |s: &Scope| s.available(ctx.plan(), ctx.org.has_guard());
    let held = scopes.intersection(admitting);
    let usable: ScopeSet = held.iter().filter(on_surface).collect();
    if usable.iter().any(|s| available(&s)) {
        trace.layer(Layer::Scope, Outcome::Passed, || {
            let names: Vec<&str> = usable.iter().filter(available).map(Scope::name).collect();
            format!("admitted by {}", names.join(", "))
        });
        return Ok(());
    }
    if !usable.is_empty() {
        return Err(Denial::new(Code::ScopePlan, facts(usable)));
    }
    if !held.is_empty() {
        return Err(Denial::new(Code::ScopeSurface, facts(held)));
    }
    // Name the scopes that would work here; if none would on this surface and plan, all.
    let would: ScopeSet = admitting
        .iter()
        .filter(on_surface)
        .filter(available)
        .collect();
    Err(Denial::new(
        Code::ScopeMissing,
        facts(if would.is_empty() { admitting } else { would }),
    ))
}
